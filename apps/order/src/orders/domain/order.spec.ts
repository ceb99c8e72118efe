import type { SagaTimings } from '../saga/order-saga';
import { Order } from './order';

const timings: SagaTimings = { stepTimeoutMs: 1000, compensationRetryMs: 100, compensationRetryMaxMs: 400 };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

function placed(): Order {
  return Order.place(
    {
      id: 'o-1',
      customer: { id: 'c-1', email: 'c@example.com', name: 'C' },
      lines: [{ sku: 'MUG-LOGO', name: 'Mug', quantity: 2, unitPriceCents: 1250 }],
      currency: 'EUR',
      shippingAddress: { name: 'C', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
      paymentMethod: 'card',
    },
    at(0),
    timings,
  );
}

describe('Order: an undoing that comes after the parcel left', () => {
  it('a shipment that succeeded after its deadline and was dispatched: confirmed, then shipped', () => {
    const order = placed();
    order.receive({ type: 'StockReserved' }, at(1), timings);
    order.receive({ type: 'PaymentCharged' }, at(2), timings);
    order.deadlinePassed(at(5), timings); // ScheduleShipment unanswered: undo, shipment first
    expect(order.state.status).toBe('COMPENSATING');
    order.receive({ type: 'ShipmentScheduled' }, at(6), timings); // late: its cancel is already pending
    order.receive({ type: 'ShipmentDispatched' }, at(7), timings); // the cancel's answer: too late
    expect(order.state.status).toBe('SHIPPED');
    expect(order.state.saga).toMatchObject({ status: 'COMPLETED', pending: [], deadlineAt: null });
    expect(order.state.failureReason).toBeNull();
    const types = order.pullEvents().map((e) => e.type);
    expect(types.slice(-2)).toEqual(['OrderConfirmed', 'OrderShipped']);
    expect(types).not.toContain('OrderRejected');
  });

  it('a cancellation that lost the race with dispatch: the cancel is refused and the order shipped', () => {
    const order = placed();
    order.receive({ type: 'StockReserved' }, at(1), timings);
    order.receive({ type: 'PaymentCharged' }, at(2), timings);
    order.receive({ type: 'ShipmentScheduled' }, at(3), timings);
    order.cancel(at(4), timings);
    order.receive({ type: 'ShipmentDispatched' }, at(5), timings);
    expect(order.state.status).toBe('SHIPPED');
    const types = order.pullEvents().map((e) => e.type);
    expect(types.filter((t) => t === 'OrderConfirmed')).toHaveLength(1);
    expect(types.slice(-2)).toEqual(['CancelRefused', 'OrderShipped']);
  });

  it('a cancel sent while the shipment was in flight, which then left: refused, and confirmed after all', () => {
    const order = placed();
    order.receive({ type: 'StockReserved' }, at(1), timings);
    order.receive({ type: 'PaymentCharged' }, at(2), timings);
    order.cancel(at(3), timings); // ScheduleShipment still unanswered
    order.receive({ type: 'ShipmentScheduled' }, at(4), timings);
    order.receive({ type: 'ShipmentDispatched' }, at(5), timings);
    expect(order.state.status).toBe('SHIPPED');
    const types = order.pullEvents().map((e) => e.type);
    expect(types.slice(-3)).toEqual(['CancelRefused', 'OrderConfirmed', 'OrderShipped']);
    expect(types.filter((t) => t === 'OrderConfirmed')).toHaveLength(1);
  });
});

describe('Order: deadlines count from when the command could reach its participant', () => {
  it('a command still in the outbox: the deadline moves one step timeout on, recorded in the history', () => {
    const order = placed();
    order.pullEvents();
    order.deadlinePassed(at(2), timings, { startedAt: null, why: 'its command has not reached Kafka yet' });
    expect(order.state.status).toBe('PENDING');
    expect(order.state.saga).toMatchObject({ status: 'RUNNING', step: 'RESERVE_STOCK', deadlineAt: at(3).getTime() });
    expect(order.pullEvents()).toEqual([
      {
        type: 'DeadlinePostponed',
        at: at(2),
        status: 'PENDING',
        data: { waitingFor: 'RESERVE_STOCK', until: at(3).toISOString(), why: 'its command has not reached Kafka yet' },
      },
    ]);
  });

  it('a command that reached Kafka late gets the whole step timeout from then, and no more', () => {
    const order = placed();
    order.pullEvents();
    const clock = { startedAt: at(5), why: 'its command reached Kafka late' };
    order.deadlinePassed(at(5), timings, clock);
    expect(order.state.saga.deadlineAt).toBe(at(6).getTime());
    order.deadlinePassed(at(6), timings, clock);
    expect(order.state.status).toBe('COMPENSATING');
    expect(order.pullEvents().map((e) => e.type)).toEqual(['DeadlinePostponed', 'DeadlinePassed', 'CommandSent']);
  });

  it('a command that reached Kafka on time: the deadline passes as before', () => {
    const order = placed();
    order.pullEvents();
    order.deadlinePassed(at(1), timings, { startedAt: at(0), why: 'its command reached Kafka on time' });
    expect(order.state.saga).toMatchObject({ status: 'COMPENSATING', reason: 'RESERVE_STOCK got no answer in time', pending: ['RELEASE_STOCK'] });
    expect(order.pullEvents().map((e) => e.type)).toEqual(['DeadlinePassed', 'CommandSent']);
  });

  it('before its deadline nothing happens, clock or not', () => {
    const order = placed();
    order.pullEvents();
    order.deadlinePassed(new Date(at(0).getTime() + 500), timings, { startedAt: null, why: 'waiting' });
    expect(order.pullEvents()).toEqual([]);
  });
});

