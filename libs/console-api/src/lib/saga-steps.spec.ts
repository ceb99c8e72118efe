import { sagaSteps, type TimelineEntry } from './saga-steps';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString();
const sent = (ms: number, command: string, attempt = 1): TimelineEntry => ({ at: at(ms), event: 'CommandSent', command, attempt });
const reply = (ms: number, name: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({ at: at(ms), event: 'ReplyReceived', reply: name, ...extra });

describe('sagaSteps', () => {
  it('happy path: three steps, each closed by its reply, with its duration', () => {
    const steps = sagaSteps([
      { at: at(0), event: 'OrderPlaced' },
      sent(1, 'RESERVE_STOCK'),
      reply(13, 'StockReserved'),
      sent(14, 'CHARGE_PAYMENT'),
      reply(20, 'PaymentCharged'),
      sent(21, 'SCHEDULE_SHIPMENT'),
      reply(30, 'ShipmentScheduled'),
      { at: at(30), event: 'OrderConfirmed' },
    ]);
    expect(steps.map((s) => [s.command, s.outcome, s.durationMs, s.reply])).toEqual([
      ['RESERVE_STOCK', 'succeeded', 12, 'StockReserved'],
      ['CHARGE_PAYMENT', 'succeeded', 6, 'PaymentCharged'],
      ['SCHEDULE_SHIPMENT', 'succeeded', 9, 'ShipmentScheduled'],
    ]);
  });

  it('payment declined: the failure and its reason, then the compensation', () => {
    const steps = sagaSteps([sent(0, 'RESERVE_STOCK'), reply(5, 'StockReserved'), sent(6, 'CHARGE_PAYMENT'), reply(9, 'PaymentDeclined', { reason: 'CARD_DECLINED' }), sent(10, 'RELEASE_STOCK'), reply(15, 'StockReleased')]);
    expect(steps.map((s) => [s.command, s.outcome, s.reason])).toEqual([
      ['RESERVE_STOCK', 'succeeded', null],
      ['CHARGE_PAYMENT', 'failed', 'CARD_DECLINED'],
      ['RELEASE_STOCK', 'succeeded', null],
    ]);
  });

  it('a passed deadline closes its step; a re-sent compensation is one step with its attempts; an ignored reply closes nothing', () => {
    const steps = sagaSteps([
      sent(0, 'RESERVE_STOCK'),
      { at: at(100), event: 'DeadlinePassed', waitingFor: 'RESERVE_STOCK' },
      sent(101, 'RELEASE_STOCK'),
      reply(102, 'StockReserved', { ignored: 'late: compensating' }),
      sent(300, 'RELEASE_STOCK', 2),
      reply(310, 'StockReleased'),
    ]);
    expect(steps).toEqual([
      expect.objectContaining({ command: 'RESERVE_STOCK', outcome: 'timed out', durationMs: 100, attempts: 1 }),
      expect.objectContaining({ command: 'RELEASE_STOCK', outcome: 'succeeded', durationMs: 209, attempts: 2, reply: 'StockReleased' }),
    ]);
  });

  it('a step still waiting for its answer is in flight, without an end', () => {
    expect(sagaSteps([sent(0, 'RESERVE_STOCK')])).toEqual([expect.objectContaining({ command: 'RESERVE_STOCK', outcome: 'in flight', endedAt: null, durationMs: null })]);
  });
});
