import { recreateDatabase } from '@shop/testing';
import { DataSource } from 'typeorm';
import { ShipmentService } from '../../src/shipments/application/shipment.service';
import type { ShippingAddress } from '../../src/shipments/domain/address';
import { CreateShipment1764000400000 } from '../../src/shipments/infrastructure/migrations/1764000400000-create-shipment';
import { AddShipmentTraceContext1764000800000 } from '../../src/shipments/infrastructure/migrations/1764000800000-add-shipment-trace-context';
import { ShipmentEntity } from '../../src/shipments/infrastructure/shipment.entity';

const home: ShippingAddress = { name: 'Ada', street: '1 Loop Road', city: 'Bristol', postalCode: 'BS1 4DJ', country: 'GB' };
const timings = { dispatchAfterMs: 60_000, deliverAfterMs: 120_000 };
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** Shipments against the real Postgres, on an explicit (simulated) clock. */
describe('shipping: shipments', () => {
  let db: DataSource;
  const shipments = new ShipmentService();
  const tx = <T>(work: (m: import('typeorm').EntityManager) => Promise<T>) => db.transaction(work);
  /** The clock's moves that concern these orders (other tests' shipments share the table). */
  const movesOf = async (now: Date, ...orderIds: string[]) =>
    (await tx((m) => shipments.advance(m, now))).filter((mv) => orderIds.includes(mv.orderId));

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: await recreateDatabase('test_shipping_shipments'),
      entities: [ShipmentEntity],
      migrations: [CreateShipment1764000400000, AddShipmentTraceContext1764000800000],
      migrationsRun: true,
      extra: { max: 10 },
    });
    await db.initialize();
  });

  afterAll(() => db?.destroy());

  it('schedules once, then dispatches and delivers as the clock passes the due times', async () => {
    const first = await Promise.all([1, 2, 3].map(() => tx((m) => shipments.schedule(m, 'o1', home, at(0), timings))));
    expect(first.map((s) => s.status)).toEqual(['SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
    expect(first[0].dispatchDueAt).toEqual(at(60_000));
    expect(first[0].deliverDueAt).toEqual(at(180_000));

    expect(await tx((m) => shipments.advance(m, at(59_999)))).toEqual([]);
    expect(await tx((m) => shipments.advance(m, at(60_000)))).toEqual([{ orderId: 'o1', status: 'DISPATCHED', traceContext: null }]);
    expect(await tx((m) => shipments.advance(m, at(100_000)))).toEqual([]);
    expect(await tx((m) => shipments.advance(m, at(180_000)))).toEqual([{ orderId: 'o1', status: 'DELIVERED', traceContext: null }]);
    expect(await tx((m) => shipments.advance(m, at(999_999)))).toEqual([]);
  });

  it('two clocks ticking at once move each shipment once', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => tx((m) => shipments.schedule(m, `many-${i}`, home, at(0), timings))));
    const moves = await Promise.all([1, 2].map(() => tx((m) => shipments.advance(m, at(60_000)))));
    const dispatched = moves.flat().filter((mv) => mv.orderId.startsWith('many-'));
    expect(dispatched).toHaveLength(30);
    expect(new Set(dispatched.map((mv) => mv.orderId)).size).toBe(30);
  });

  it('refuses the documented unshippable addresses, with the reason', async () => {
    const antarctica = await tx((m) => shipments.schedule(m, 'o-aq', { ...home, country: 'AQ' }, at(0), timings));
    expect(antarctica).toMatchObject({ status: 'IMPOSSIBLE', reason: 'ADDRESS_UNREACHABLE: no carrier ships to AQ', dispatchDueAt: null });
    const nowhere = await tx((m) => shipments.schedule(m, 'o-00000', { ...home, postalCode: '00000' }, at(0), timings));
    expect(nowhere.status).toBe('IMPOSSIBLE');
    expect(await movesOf(at(10_000_000), 'o-aq', 'o-00000')).toEqual([]);
  });

  it('cancels before dispatch, cannot call back a dispatched parcel, and refuses a schedule after a cancel', async () => {
    await tx((m) => shipments.schedule(m, 'c1', home, at(0), timings));
    expect((await tx((m) => shipments.cancel(m, 'c1', at(1_000)))).status).toBe('CANCELLED');
    expect(await movesOf(at(10_000_000), 'c1')).toEqual([]);

    await tx((m) => shipments.schedule(m, 'c2', home, at(20_000_000), timings));
    expect(await movesOf(at(20_060_000), 'c2')).toEqual([{ orderId: 'c2', status: 'DISPATCHED', traceContext: null }]);
    expect((await tx((m) => shipments.cancel(m, 'c2', at(20_070_000)))).status).toBe('DISPATCHED');

    expect((await tx((m) => shipments.cancel(m, 'c3', at(0)))).status).toBe('CANCELLED');
    expect((await tx((m) => shipments.schedule(m, 'c3', home, at(1), timings))).status).toBe('CANCELLED');
  });
});
