import { describeServiceBoot } from '@shop/testing';

// Port 3002 + 100 so the suite can run beside a running shop.
describeServiceBoot('payment', { port: 3102, tables: ['account_event', 'account_snapshot'] });
