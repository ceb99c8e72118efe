import type { SagaStatus, SagaTimings } from '../saga/order-saga';
import { randomUUID } from 'node:crypto';
import { isOrderId, Order, orderStatus, type OrderStatus, type ParticipantReply } from './order';

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


type Action = ParticipantReply | 'cancel' | 'delivered' | 'deadline';

describe('Order: every path of the saga, as the order sees it (status, reason, commands, history)', () => {
  const rows: Array<[string, Action[], OrderStatus, string | null, string[], string[]]> = [
    // name, what happens, final status, failure reason, commands sent, order-level events
    [
      'happy path to delivery',
      [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }, { type: 'ShipmentDispatched' }, 'delivered'],
      'DELIVERED',
      null,
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT'],
      ['OrderPlaced', 'OrderConfirmed', 'OrderShipped', 'OrderDelivered'],
    ],
    ['out of stock: nothing to undo', [{ type: 'StockReservationFailed', reason: 'OUT_OF_STOCK: MUG-LOGO' }], 'REJECTED', 'OUT_OF_STOCK: MUG-LOGO', ['RESERVE_STOCK'], ['OrderPlaced', 'OrderRejected']],
    [
      'payment declined: the stock is released first',
      [{ type: 'StockReserved' }, { type: 'PaymentDeclined', reason: 'CARD_DECLINED' }, { type: 'StockReleased' }],
      'REJECTED',
      'CARD_DECLINED',
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'RELEASE_STOCK'],
      ['OrderPlaced', 'OrderRejected'],
    ],
    [
      'shipment impossible: refunded, then released',
      [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentImpossible', reason: 'ADDRESS_UNREACHABLE' }, { type: 'PaymentRefunded' }, { type: 'StockReleased' }],
      'REJECTED',
      'ADDRESS_UNREACHABLE',
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      ['OrderPlaced', 'OrderRejected'],
    ],
    [
      'cancelled after confirmation: every step undone, last first',
      [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }, 'cancel', { type: 'ShipmentCancelled' }, { type: 'PaymentRefunded' }, { type: 'StockReleased' }],
      'CANCELLED',
      'cancelled by the customer',
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'CANCEL_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      ['OrderPlaced', 'OrderConfirmed', 'CancelRequested', 'OrderCancelled'],
    ],
    [
      'a participant that never answers: the deadline undoes what was done, and the step in flight (it may have happened)',
      [{ type: 'StockReserved' }, 'deadline', { type: 'PaymentRefunded' }, { type: 'StockReleased' }],
      'REJECTED',
      'CHARGE_PAYMENT got no answer in time',
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      ['OrderPlaced', 'DeadlinePassed', 'OrderRejected'],
    ],
  ];

  it.each(rows)('%s', (_name, actions, status, reason, commands, orderEvents) => {
    const order = placed();
    actions.forEach((action, i) => {
      const now = at(i + 1);
      if (action === 'cancel') order.cancel(now, timings);
      else if (action === 'delivered') order.delivered(now);
      else if (action === 'deadline') order.deadlinePassed(new Date(now.getTime() + timings.stepTimeoutMs), timings);
      else order.receive(action, now, timings);
    });
    const events = order.pullEvents();
    expect(order.state.status).toBe(status);
    expect(order.state.failureReason).toBe(reason);
    expect(events.flatMap((e) => (e.type === 'CommandSent' ? [e.data.command] : []))).toEqual(commands);
    expect(events.map((e) => e.type).filter((t) => t !== 'CommandSent' && t !== 'ReplyReceived')).toEqual(orderEvents);
    // Every event carries the status the order had once it happened, and the version counts them.
    expect(events.at(-1)?.status).toBe(status);
    expect(order.state.version).toBe(events.length);
  });

  it('a cancel after dispatch, or after the end, is refused with 409 ORDER.CANNOT_CANCEL and changes nothing', () => {
    const shipped = placed();
    for (const reply of [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }, { type: 'ShipmentDispatched' }] as const) shipped.receive(reply, at(1), timings);
    const version = shipped.state.version;
    expect(() => shipped.cancel(at(2), timings)).toThrow(expect.objectContaining({ code: 'ORDER.CANNOT_CANCEL', kind: 'CONFLICT' }));
    expect(shipped.state.version).toBe(version);

    const rejected = placed();
    rejected.receive({ type: 'StockReservationFailed', reason: 'OUT_OF_STOCK' }, at(1), timings);
    expect(() => rejected.cancel(at(2), timings)).toThrow(expect.objectContaining({ code: 'ORDER.CANNOT_CANCEL' }));
  });

  it('prices the order: the total is the sum of quantity times unit price', () => {
    expect(placed().state.totalCents).toBe(2500);
  });
});

describe('Order: the saga table, path by path', () => {
  const r = {
    reserved: { type: 'StockReserved' },
    noStock: { type: 'StockReservationFailed', reason: 'OUT_OF_STOCK: MUG-LOGO' },
    released: { type: 'StockReleased' },
    charged: { type: 'PaymentCharged' },
    declined: { type: 'PaymentDeclined', reason: 'CARD_DECLINED' },
    refunded: { type: 'PaymentRefunded' },
    scheduled: { type: 'ShipmentScheduled' },
    unshippable: { type: 'ShipmentImpossible', reason: 'ADDRESS_UNREACHABLE' },
    shipmentCancelled: { type: 'ShipmentCancelled' },
    dispatched: { type: 'ShipmentDispatched' },
  } satisfies Record<string, ParticipantReply>;

  interface Row {
    actions: Action[];
    /** The order's status after each action. */
    statuses: OrderStatus[];
    /** Every command sent, with its attempt. */
    sent: string[];
    /** The order-level events of its history (neither CommandSent nor ReplyReceived), with their status. */
    history: string[];
    reason: string | null;
  }

  const placedThen = (...rest: string[]) => ['OrderPlaced PENDING', ...rest];
  const rows: Record<string, Row> = {
    'happy path, then dispatch and delivery': {
      actions: [r.reserved, r.charged, r.scheduled, r.dispatched, 'delivered'],
      statuses: ['PENDING', 'PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1'],
      history: placedThen('OrderConfirmed CONFIRMED', 'OrderShipped SHIPPED', 'OrderDelivered DELIVERED'),
      reason: null,
    },
    'delivered without news of dispatch: shipped and delivered at once': {
      actions: [r.reserved, r.charged, r.scheduled, 'delivered'],
      statuses: ['PENDING', 'PENDING', 'CONFIRMED', 'DELIVERED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1'],
      history: placedThen('OrderConfirmed CONFIRMED', 'OrderShipped SHIPPED', 'OrderDelivered DELIVERED'),
      reason: null,
    },
    'RESERVE_STOCK fails: nothing to undo': {
      actions: [r.noStock],
      statuses: ['REJECTED'],
      sent: ['RESERVE_STOCK#1'],
      history: placedThen('OrderRejected REJECTED'),
      reason: 'OUT_OF_STOCK: MUG-LOGO',
    },
    'CHARGE_PAYMENT fails: the stock is released': {
      actions: [r.reserved, r.declined, r.released],
      statuses: ['PENDING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('OrderRejected REJECTED'),
      reason: 'CARD_DECLINED',
    },
    'SCHEDULE_SHIPMENT fails: refunded, then released': {
      actions: [r.reserved, r.charged, r.unshippable, r.refunded, r.released],
      statuses: ['PENDING', 'PENDING', 'COMPENSATING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('OrderRejected REJECTED'),
      reason: 'ADDRESS_UNREACHABLE',
    },
    'RESERVE_STOCK misses its deadline: the maybe-made reservation is released': {
      actions: ['deadline', r.released],
      statuses: ['COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'RELEASE_STOCK#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderRejected REJECTED'),
      reason: 'RESERVE_STOCK got no answer in time',
    },
    'CHARGE_PAYMENT misses its deadline: refunded, then released': {
      actions: [r.reserved, 'deadline', r.refunded, r.released],
      statuses: ['PENDING', 'COMPENSATING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderRejected REJECTED'),
      reason: 'CHARGE_PAYMENT got no answer in time',
    },
    'SCHEDULE_SHIPMENT misses its deadline: shipment cancelled, refunded, released': {
      actions: [r.reserved, r.charged, 'deadline', r.shipmentCancelled, r.refunded, r.released],
      statuses: ['PENDING', 'PENDING', 'COMPENSATING', 'COMPENSATING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'CANCEL_SHIPMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderRejected REJECTED'),
      reason: 'SCHEDULE_SHIPMENT got no answer in time',
    },
    'cancelled before confirmation: the step in flight is undone too': {
      actions: [r.reserved, 'cancel', r.refunded, r.released],
      statuses: ['PENDING', 'COMPENSATING', 'COMPENSATING', 'CANCELLED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('CancelRequested PENDING', 'OrderCancelled CANCELLED'),
      reason: 'cancelled by the customer',
    },
    'cancelled after confirmation: every step undone, last first': {
      actions: [r.reserved, r.charged, r.scheduled, 'cancel', r.shipmentCancelled, r.refunded, r.released],
      statuses: ['PENDING', 'PENDING', 'CONFIRMED', 'COMPENSATING', 'COMPENSATING', 'COMPENSATING', 'CANCELLED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'CANCEL_SHIPMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('OrderConfirmed CONFIRMED', 'CancelRequested CONFIRMED', 'OrderCancelled CANCELLED'),
      reason: 'cancelled by the customer',
    },
    'a success after its deadline, once the saga was undone: undone again': {
      actions: ['deadline', r.released, r.reserved, r.released],
      statuses: ['COMPENSATING', 'REJECTED', 'REJECTED', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'RELEASE_STOCK#1', 'RELEASE_STOCK#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderRejected REJECTED'),
      reason: 'RESERVE_STOCK got no answer in time',
    },
    'a success after its deadline, while its compensation is pending: nothing more to send': {
      actions: [r.reserved, 'deadline', r.charged, r.refunded, r.released],
      statuses: ['PENDING', 'COMPENSATING', 'COMPENSATING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderRejected REJECTED'),
      reason: 'CHARGE_PAYMENT got no answer in time',
    },
    'a compensation is re-sent on each of its deadlines until confirmed': {
      actions: [r.reserved, r.declined, 'deadline', 'deadline', r.released],
      statuses: ['PENDING', 'COMPENSATING', 'COMPENSATING', 'COMPENSATING', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'RELEASE_STOCK#1', 'RELEASE_STOCK#2', 'RELEASE_STOCK#3'],
      history: placedThen('DeadlinePassed COMPENSATING', 'DeadlinePassed COMPENSATING', 'OrderRejected REJECTED'),
      reason: 'CARD_DECLINED',
    },
    'a cancel that loses the race with dispatch: refused, the order ships, nothing else undone': {
      actions: [r.reserved, r.charged, r.scheduled, 'cancel', r.dispatched, r.refunded, r.released, 'delivered'],
      statuses: ['PENDING', 'PENDING', 'CONFIRMED', 'COMPENSATING', 'SHIPPED', 'SHIPPED', 'SHIPPED', 'DELIVERED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'CANCEL_SHIPMENT#1'],
      history: placedThen(
        'OrderConfirmed CONFIRMED',
        'CancelRequested CONFIRMED',
        'CancelRefused CONFIRMED',
        'OrderShipped SHIPPED',
        'OrderDelivered DELIVERED',
      ),
      reason: null,
    },
    'a cancel while the shipment was in flight, which then left: refused, and confirmed after all': {
      actions: [r.reserved, r.charged, 'cancel', r.scheduled, r.dispatched],
      statuses: ['PENDING', 'PENDING', 'COMPENSATING', 'COMPENSATING', 'SHIPPED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'CANCEL_SHIPMENT#1'],
      history: placedThen('CancelRequested PENDING', 'CancelRefused CONFIRMED', 'OrderConfirmed CONFIRMED', 'OrderShipped SHIPPED'),
      reason: null,
    },
    'a shipment that succeeded after its deadline and left before its cancel arrived: confirmed, then shipped': {
      actions: [r.reserved, r.charged, 'deadline', r.scheduled, r.dispatched],
      statuses: ['PENDING', 'PENDING', 'COMPENSATING', 'COMPENSATING', 'SHIPPED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'CANCEL_SHIPMENT#1'],
      history: placedThen('DeadlinePassed PENDING', 'OrderConfirmed CONFIRMED', 'OrderShipped SHIPPED'),
      reason: null,
    },
    'news of dispatch while a rejection is undone changes nothing': {
      actions: [r.reserved, r.charged, r.unshippable, r.dispatched, r.refunded, r.released, 'delivered'],
      statuses: ['PENDING', 'PENDING', 'COMPENSATING', 'COMPENSATING', 'COMPENSATING', 'REJECTED', 'REJECTED'],
      sent: ['RESERVE_STOCK#1', 'CHARGE_PAYMENT#1', 'SCHEDULE_SHIPMENT#1', 'REFUND_PAYMENT#1', 'RELEASE_STOCK#1'],
      history: placedThen('OrderRejected REJECTED'),
      reason: 'ADDRESS_UNREACHABLE',
    },
  };

  it.each(Object.entries(rows))('%s', (_name, row) => {
    const order = placed();
    const statuses = row.actions.map((action, i) => {
      const now = at(i + 1);
      if (action === 'cancel') order.cancel(now, timings);
      else if (action === 'delivered') order.delivered(now);
      else if (action === 'deadline') order.deadlinePassed(new Date(now.getTime() + timings.stepTimeoutMs), timings);
      else order.receive(action, now, timings);
      return order.state.status;
    });
    const events = order.pullEvents();
    expect(statuses).toEqual(row.statuses);
    expect(events.flatMap((e) => (e.type === 'CommandSent' ? [`${e.data.command}#${e.data.attempt}`] : []))).toEqual(row.sent);
    expect(events.filter((e) => e.type !== 'CommandSent' && e.type !== 'ReplyReceived').map((e) => `${e.type} ${e.status}`)).toEqual(row.history);
    expect(order.state.failureReason).toBe(row.reason);
    expect(order.state.version).toBe(events.length);
  });

  it('a reply is recorded with the status the order had when it came, the commands it caused with the status after', () => {
    const order = placed();
    order.receive(r.reserved, at(1), timings);
    order.receive(r.declined, at(2), timings);
    expect(order.pullEvents().slice(-3).map((e) => `${e.type} ${e.status}`)).toEqual(['CommandSent PENDING', 'ReplyReceived PENDING', 'CommandSent COMPENSATING']);
  });
});

describe('orderStatus: derived from the saga and the shipment', () => {
  const saga = (status: SagaStatus) => ({ ...placed().state.saga, status });

  it.each([
    ['RUNNING', 'NOT_DISPATCHED', 'PENDING'],
    ['COMPLETED', 'NOT_DISPATCHED', 'CONFIRMED'],
    ['COMPLETED', 'DISPATCHED', 'SHIPPED'],
    ['COMPLETED', 'DELIVERED', 'DELIVERED'],
    ['COMPENSATING', 'NOT_DISPATCHED', 'COMPENSATING'],
    ['REJECTED', 'NOT_DISPATCHED', 'REJECTED'],
    ['CANCELLED', 'NOT_DISPATCHED', 'CANCELLED'],
  ] as const)('saga %s, shipment %s: %s', (sagaStatus, shipment, status) => {
    expect(orderStatus(saga(sagaStatus), shipment)).toBe(status);
  });

  it('a restored order has the status it was stored with', () => {
    const order = placed();
    for (const reply of [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }, { type: 'ShipmentDispatched' }] as const) order.receive(reply, at(1), timings);
    const { status: _status, failureReason: _reason, ...props } = order.state;
    expect(Order.restore(props).state).toEqual(order.state);
    expect(Order.restore(props).state.status).toBe('SHIPPED');
  });
});

describe('isOrderId', () => {
  it('takes the UUIDs the service issues and nothing else', () => {
    expect(isOrderId(randomUUID())).toBe(true);
    expect(isOrderId('00000000-0000-4000-8000-000000000000')).toBe(true);
    for (const id of ['nope', '', 'a\u0000b', '00000000-0000-0000-0000-000000000000', `${randomUUID()}x`]) expect(isOrderId(id)).toBe(false);
  });
});
