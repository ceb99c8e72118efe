import { applySagaEvent, deadlineFromClockStart, startSaga, type SagaCommand, type SagaEvent, type SagaState, type SagaStatus, type SagaTimings } from './order-saga';

const timings: SagaTimings = { stepTimeoutMs: 1000, compensationRetryMs: 100, compensationRetryMaxMs: 400 };

const ok = {
  reserved: { type: 'StockReserved' },
  noStock: { type: 'StockReservationFailed', reason: 'OUT_OF_STOCK' },
  charged: { type: 'PaymentCharged' },
  declined: { type: 'PaymentDeclined', reason: 'CARD_DECLINED' },
  scheduled: { type: 'ShipmentScheduled' },
  unshippable: { type: 'ShipmentImpossible', reason: 'ADDRESS_UNREACHABLE' },
  released: { type: 'StockReleased' },
  refunded: { type: 'PaymentRefunded' },
  shipmentCancelled: { type: 'ShipmentCancelled' },
  deadline: { type: 'DeadlineExpired' },
  cancel: { type: 'CancelRequested' },
  dispatched: { type: 'ShipmentDispatched' },
} satisfies Record<string, SagaEvent>;

/** Plays events one second apart (so every deadline has passed) and records every command sent. */
function play(events: SagaEvent[]): { state: SagaState; sent: SagaCommand[]; ignored: string[] } {
  let now = 0;
  const start = startSaga(now, timings);
  let state = start.state;
  const sent = [...start.commands];
  const ignored: string[] = [];
  for (const event of events) {
    now += 10_000;
    const t = applySagaEvent(state, event, now, timings);
    state = t.state;
    sent.push(...t.commands);
    if (t.ignored) ignored.push(t.ignored);
  }
  return { state, sent, ignored };
}

describe('order saga', () => {
  // Each row: the events the saga sees, the commands it must send (in order), where it ends.
  const table: Array<[string, SagaEvent[], SagaCommand[], SagaStatus, string | null]> = [
    ['happy path', [ok.reserved, ok.charged, ok.scheduled], ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT'], 'COMPLETED', null],
    ['out of stock: nothing to undo', [ok.noStock], ['RESERVE_STOCK'], 'REJECTED', 'OUT_OF_STOCK'],
    ['payment declined: release stock', [ok.reserved, ok.declined, ok.released], ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'RELEASE_STOCK'], 'REJECTED', 'CARD_DECLINED'],
    [
      'shipment impossible: refund, then release',
      [ok.reserved, ok.charged, ok.unshippable, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'ADDRESS_UNREACHABLE',
    ],
    [
      'inventory too slow: release the maybe-made reservation',
      [ok.deadline, ok.released],
      ['RESERVE_STOCK', 'RELEASE_STOCK'],
      'REJECTED',
      'RESERVE_STOCK got no answer in time',
    ],
    [
      'payment too slow: refund the maybe-made charge, then release',
      [ok.reserved, ok.deadline, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'CHARGE_PAYMENT got no answer in time',
    ],
    [
      'cancel while charging: refund, release',
      [ok.reserved, ok.cancel, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'CANCELLED',
      'cancelled by the customer',
    ],
    [
      'cancel after confirmation (before dispatch): cancel shipment, refund, release',
      [ok.reserved, ok.charged, ok.scheduled, ok.cancel, ok.shipmentCancelled, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'CANCEL_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'CANCELLED',
      'cancelled by the customer',
    ],
    [
      'a compensation is re-sent on every deadline until confirmed',
      [ok.reserved, ok.declined, ok.deadline, ok.deadline, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'RELEASE_STOCK', 'RELEASE_STOCK', 'RELEASE_STOCK'],
      'REJECTED',
      'CARD_DECLINED',
    ],
    [
      'a late StockReserved after rejection is released again',
      [ok.deadline, ok.released, ok.reserved],
      ['RESERVE_STOCK', 'RELEASE_STOCK', 'RELEASE_STOCK'],
      'REJECTED',
      'RESERVE_STOCK got no answer in time',
    ],
    [
      'a late PaymentCharged while its refund is pending changes nothing',
      [ok.reserved, ok.deadline, ok.charged, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'CHARGE_PAYMENT got no answer in time',
    ],
    [
      'duplicate replies change nothing',
      [ok.reserved, ok.reserved, ok.charged, ok.charged, ok.scheduled, ok.scheduled],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT'],
      'COMPLETED',
      null,
    ],
    [
      'compensation confirmations out of order wait for the one in flight',
      [ok.reserved, ok.charged, ok.unshippable, ok.released, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'ADDRESS_UNREACHABLE',
    ],
    ['cancel after rejection is refused', [ok.noStock, ok.cancel], ['RESERVE_STOCK'], 'REJECTED', 'OUT_OF_STOCK'],
    [
      'cancel that loses the race with dispatch: the order stands, nothing else undone',
      [ok.reserved, ok.charged, ok.scheduled, ok.cancel, ok.dispatched, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'CANCEL_SHIPMENT'],
      'COMPLETED',
      null,
    ],
    [
      'a shipment that succeeded after its deadline and left before its cancel arrived: the order stands',
      [ok.reserved, ok.charged, ok.deadline, ok.scheduled, ok.dispatched, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'CANCEL_SHIPMENT'],
      'COMPLETED',
      null,
    ],
    [
      'a shipment cancelled in time after its deadline: unwound as usual',
      [ok.reserved, ok.charged, ok.deadline, ok.shipmentCancelled, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'CANCEL_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'SCHEDULE_SHIPMENT got no answer in time',
    ],
    [
      'dispatch news during a rejection changes nothing',
      [ok.reserved, ok.charged, ok.unshippable, ok.dispatched, ok.refunded, ok.released],
      ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT', 'REFUND_PAYMENT', 'RELEASE_STOCK'],
      'REJECTED',
      'ADDRESS_UNREACHABLE',
    ],
  ];

  it.each(table)('%s', (_name, events, commands, status, reason) => {
    const { state, sent } = play(events);
    expect(sent).toEqual(commands);
    expect(state.status).toBe(status);
    expect(state.reason).toBe(reason);
  });

  it('ignores a deadline that has not passed yet', () => {
    const { state } = startSaga(0, timings);
    const t = applySagaEvent(state, ok.deadline, 999, timings);
    expect(t).toEqual({ state, commands: [], ignored: 'no deadline has passed' });
  });

  it('sets a deadline per step and backs off compensation retries up to the maximum', () => {
    let t = startSaga(0, timings);
    expect(t.state.deadlineAt).toBe(1000);
    t = applySagaEvent(t.state, ok.reserved, 500, timings);
    expect(t.state.deadlineAt).toBe(1500);
    t = applySagaEvent(t.state, ok.declined, 600, timings);
    expect(t.state.deadlineAt).toBe(700);
    const deadlines: number[] = [];
    let now = 700;
    for (let i = 0; i < 4; i++) {
      t = applySagaEvent(t.state, ok.deadline, now, timings);
      const next = t.state.deadlineAt ?? Number.NaN;
      deadlines.push(next - now);
      now = next;
    }
    expect(deadlines).toEqual([200, 400, 400, 400]);
  });

  it('says why an event was ignored', () => {
    expect(play([ok.reserved, ok.reserved]).ignored).toEqual(['duplicate StockReserved']);
    expect(play([ok.noStock, ok.cancel]).ignored).toEqual(['cannot cancel in status REJECTED']);
  });

  describe('the clock of the command in flight (deadlineFromClockStart)', () => {
    const running = startSaga(0, timings).state; // RESERVE_STOCK sent at 0, deadline 1000

    it.each([
      ['published on time: the deadline stands', 5, 1200, 1000],
      ['published within the tolerance (half the allowance here): the deadline stands', 400, 1200, 1000],
      ['published late: the full allowance from publication', 3000, 3500, 4000],
      ['still in the outbox: one allowance from now', null, 2500, 3500],
    ] as const)('%s', (_name, clockStartedAt, now, expected) => {
      expect(deadlineFromClockStart(running, clockStartedAt, now, timings)).toBe(expected);
    });

    it('a compensation counts its current retry delay from its clock start', () => {
      const compensating = applySagaEvent(applySagaEvent(running, ok.reserved, 100, timings).state, ok.declined, 200, timings).state;
      expect(compensating).toMatchObject({ status: 'COMPENSATING', deadlineAt: 300, attempts: 1 });
      expect(deadlineFromClockStart(compensating, 5000, 5100, timings)).toBe(5100);
      expect(deadlineFromClockStart(compensating, null, 9000, timings)).toBe(9100);
    });

    it('nothing in flight: no deadline', () => {
      const done = play([ok.reserved, ok.charged, ok.scheduled]).state;
      expect(deadlineFromClockStart(done, 0, 50_000, timings)).toBeNull();
    });
  });
});
