import { describeServiceBoot } from '@shop/testing';

// Port 3003 + 100 so the suite can run beside a running shop.
describeServiceBoot('shipping', { port: 3103, tables: ['shipment'] });
