import { projectEvent, type OrderView, type StoredOrderEvent } from './order-projection';

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, s));
const placed: StoredOrderEvent = {
  orderId: 'o-1',
  seq: 1,
  type: 'OrderPlaced',
  status: 'PENDING',
  data: { customerId: 'alice', lines: [{ sku: 'MUG-LOGO', name: 'Mug', quantity: 2, unitPriceCents: 1250 }], totalCents: 2500, currency: 'EUR' },
  at: at(0),
};
const events: StoredOrderEvent[] = [
  placed,
  { orderId: 'o-1', seq: 2, type: 'CommandSent', status: 'PENDING', data: { command: 'RESERVE_STOCK', attempt: 1 }, at: at(1) },
  { orderId: 'o-1', seq: 3, type: 'ReplyReceived', status: 'PENDING', data: { reply: 'StockReservationFailed', reason: 'OUT_OF_STOCK: MUG-LOGO' }, at: at(2) },
  { orderId: 'o-1', seq: 4, type: 'OrderRejected', status: 'REJECTED', data: { reason: 'OUT_OF_STOCK: MUG-LOGO' }, at: at(2) },
];

describe('order projection', () => {
  it('builds the view from the events: priced lines, status, reason, timeline', () => {
    const view = events.reduce<OrderView | null>(projectEvent, null) as OrderView;
    expect(view).toMatchObject({
      id: 'o-1',
      customerId: 'alice',
      status: 'REJECTED',
      totalCents: 2500,
      failureReason: 'OUT_OF_STOCK: MUG-LOGO',
      lines: [{ sku: 'MUG-LOGO', quantity: 2, lineTotalCents: 2500 }],
      version: 4,
      updatedAt: at(2),
    });
    expect(view.timeline.map((t) => t.event)).toEqual(['OrderPlaced', 'CommandSent', 'ReplyReceived', 'OrderRejected']);
    expect(view.timeline[1]).toEqual({ at: at(1).toISOString(), event: 'CommandSent', command: 'RESERVE_STOCK', attempt: 1 });
  });

  it('ignores an event it has already folded in', () => {
    const view = events.reduce<OrderView | null>(projectEvent, null) as OrderView;
    expect(projectEvent(view, events[2])).toBe(view);
  });

  it('refuses an event before the order exists', () => {
    expect(() => projectEvent(null, events[1])).toThrow('before OrderPlaced');
  });
});
