import { describeServiceBoot, queryDatabase } from '@shop/testing';

// Port 3002 + 100 so the suite can run beside a running shop.
describeServiceBoot('payment', {
  port: 3102,
  // The service's own migration runs at boot too: the event store's tables exist.
  afterBoot: async (databaseUrl) => {
    const tables = await queryDatabase<{ table_name: string }>(
      databaseUrl,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['account_event', 'account_snapshot']));
  },
});
