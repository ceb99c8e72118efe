import { describeServiceBoot } from '@shop/testing';

// Port 3000 + 100 so the suite can run beside a running shop.
describeServiceBoot('order', { port: 3100 });
