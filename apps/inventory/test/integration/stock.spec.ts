import { recreateDatabase } from '@shop/testing';
import { DataSource } from 'typeorm';
import { StockService } from '../../src/stock/application/stock.service';
import { CreateStock1764000300000 } from '../../src/stock/infrastructure/migrations/1764000300000-create-stock';
import { ProductEntity } from '../../src/stock/infrastructure/product.entity';
import { ReservationEntity } from '../../src/stock/infrastructure/reservation.entity';

/** Reservations against the real Postgres, with real concurrency. */
describe('inventory: stock reservations', () => {
  let db: DataSource;
  const stock = new StockService();
  const products = [
    { sku: 'LAST-FIVE', name: 'Only five left', priceCents: 1000, currency: 'EUR', stock: 5 },
    { sku: 'PLENTY', name: 'Plenty', priceCents: 100, currency: 'EUR', stock: 1000 },
  ];
  const product = (sku: string) => db.manager.findOneByOrFail(ProductEntity, { sku });

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: await recreateDatabase('test_inventory_stock'),
      entities: [ProductEntity, ReservationEntity],
      migrations: [CreateStock1764000300000],
      migrationsRun: true,
      extra: { max: 25 },
    });
    await db.initialize();
    expect(await db.transaction((m) => stock.seed(m, products))).toBe(2);
    expect(await db.transaction((m) => stock.seed(m, products))).toBe(0); // seeding again adds nothing
  });

  afterAll(() => db?.destroy());

  it('20 orders racing for the last 5 units: exactly 5 reserved, stock never negative', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction((m) => stock.reserve(m, `race-${i}`, [{ sku: 'LAST-FIVE', quantity: 1 }, { sku: 'PLENTY', quantity: 1 }])),
      ),
    );
    expect(outcomes.filter((r) => r.status === 'RESERVED')).toHaveLength(5);
    const rejected = outcomes.filter((r) => r.status === 'REJECTED');
    expect(rejected).toHaveLength(15);
    expect(rejected.every((r) => r.reason === 'OUT_OF_STOCK: LAST-FIVE')).toBe(true);
    expect(await product('LAST-FIVE')).toMatchObject({ available: 0, reserved: 5 });
    // all or nothing: the rejected orders took nothing of PLENTY either
    expect(await product('PLENTY')).toMatchObject({ available: 995, reserved: 5 });
  });

  it('a repeated ReserveStock (also concurrent) reserves once', async () => {
    const repeats = await Promise.all([1, 2, 3, 4].map(() => db.transaction((m) => stock.reserve(m, 'dup-1', [{ sku: 'PLENTY', quantity: 3 }]))));
    expect(repeats.every((r) => r.status === 'RESERVED')).toBe(true);
    expect(await product('PLENTY')).toMatchObject({ available: 992, reserved: 8 });
  });

  it('rejects an unknown SKU, naming it', async () => {
    const r = await db.transaction((m) => stock.reserve(m, 'unknown-1', [{ sku: 'NOPE', quantity: 1 }]));
    expect(r).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_SKU: NOPE' });
  });

  it('releases once, giving the units back', async () => {
    await db.transaction((m) => stock.reserve(m, 'rel-1', [{ sku: 'PLENTY', quantity: 10 }]));
    const before = await product('PLENTY');
    const releases = await Promise.all([1, 2, 3].map(() => db.transaction((m) => stock.release(m, 'rel-1'))));
    expect(releases.every((r) => r.status === 'RELEASED')).toBe(true);
    expect(await product('PLENTY')).toMatchObject({ available: before.available + 10, reserved: before.reserved - 10 });
  });

  it('a ReserveStock arriving after its ReleaseStock is refused (tombstone)', async () => {
    const released = await db.transaction((m) => stock.release(m, 'late-1'));
    expect(released).toMatchObject({ status: 'RELEASED', reason: 'released before any reservation' });
    const before = await product('PLENTY');
    const late = await db.transaction((m) => stock.reserve(m, 'late-1', [{ sku: 'PLENTY', quantity: 2 }]));
    expect(late.status).toBe('RELEASED');
    expect(await product('PLENTY')).toEqual(before);
  });

  it('the database itself refuses negative stock', async () => {
    await expect(db.query(`UPDATE product SET available = -1 WHERE sku = 'PLENTY'`)).rejects.toThrow(/product_available_never_negative/);
  });
});
