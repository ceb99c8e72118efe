import { describeServiceBoot } from '@shop/platform/testing';

// Port 3002 + 100 so the suite can run beside a running shop.
describeServiceBoot('payment', { port: 3102 });
