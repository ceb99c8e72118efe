import { describeServiceBoot } from '@shop/platform/testing';

// Port 3004 + 100 so the suite can run beside a running shop.
describeServiceBoot('notification', { port: 3104 });
