import { describeServiceBoot } from '@shop/platform/testing';

// Port 3001 + 100 so the suite can run beside a running shop.
describeServiceBoot('inventory', { port: 3101 });
