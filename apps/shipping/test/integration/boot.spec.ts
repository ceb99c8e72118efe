import { describeServiceBoot } from '@shop/platform/testing';

// Port 3003 + 100 so the suite can run beside a running shop.
describeServiceBoot('shipping', { port: 3103 });
