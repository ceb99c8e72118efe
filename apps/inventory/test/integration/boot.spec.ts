import { describeServiceBoot, queryDatabase } from '@shop/testing';
import products from '../../seed/products.json';

// Port 3001 + 100 so the suite can run beside a running shop.
describeServiceBoot('inventory', {
  port: 3101,
  tables: ['product', 'reservation', 'stock_receipt'],
  // The catalog in seed/products.json is loaded at boot.
  afterBoot: async (databaseUrl) => {
    const rows = await queryDatabase<{ sku: string; available: number }>(databaseUrl, 'SELECT sku, available FROM product ORDER BY sku');
    expect(rows).toEqual(products.map((p) => ({ sku: p.sku, available: p.stock })).sort((a, b) => a.sku.localeCompare(b.sku)));
  },
});
