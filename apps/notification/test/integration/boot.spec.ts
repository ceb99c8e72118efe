import { describeServiceBoot } from '@shop/testing';

// Port 3004 + 100 so the suite can run beside a running shop.
describeServiceBoot('notification', { port: 3104, tables: ['notification'], sendsMessages: false });
