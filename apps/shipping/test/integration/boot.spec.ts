import { describeServiceBoot, queryDatabase } from '@shop/testing';

// Port 3003 + 100 so the suite can run beside a running shop.
describeServiceBoot('shipping', {
  port: 3103,
  afterBoot: async (databaseUrl) => {
    const tables = await queryDatabase<{ table_name: string }>(
      databaseUrl,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toContain('shipment');
  },
});
