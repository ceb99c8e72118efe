import { decideCharge, decideRefund, openAccount, replay, type AccountEvent, type AccountState } from './account';

const opened = openAccount('cust-1', 10_000, 'EUR');
const stateOf = (events: AccountEvent[]) => replay(events) as AccountState;
const charge = (orderId: string, amountCents: number, paymentMethod = 'card') => ({ orderId, amountCents, currency: 'EUR', paymentMethod });

describe('payment account (event-sourced)', () => {
  it('derives the balance by replaying its events', () => {
    const events: AccountEvent[] = [
      ...opened,
      { type: 'PaymentCharged', orderId: 'o1', amountCents: 2_500 },
      { type: 'PaymentCharged', orderId: 'o2', amountCents: 1_000 },
      { type: 'PaymentRefunded', orderId: 'o1', amountCents: 2_500 },
    ];
    expect(stateOf(events).balanceCents).toBe(9_000);
    // replaying in two parts (snapshot + tail) gives the same state
    expect(replay(events.slice(2), stateOf(events.slice(0, 2)))).toEqual(stateOf(events));
  });

  it('charges once per order: a repeated charge decides nothing', () => {
    const first = decideCharge(stateOf(opened), charge('o1', 2_500));
    expect(first).toEqual([{ type: 'PaymentCharged', orderId: 'o1', amountCents: 2_500 }]);
    expect(decideCharge(stateOf([...opened, ...first]), charge('o1', 2_500))).toEqual([]);
  });

  it('declines the documented declining method and an amount over the balance', () => {
    expect(decideCharge(stateOf(opened), charge('o1', 100, 'card_declined'))).toEqual([
      { type: 'PaymentDeclined', orderId: 'o1', amountCents: 100, reason: 'CARD_DECLINED' },
    ]);
    expect(decideCharge(stateOf(opened), charge('o2', 10_001))).toEqual([
      { type: 'PaymentDeclined', orderId: 'o2', amountCents: 10_001, reason: 'INSUFFICIENT_FUNDS' },
    ]);
  });

  it('refunds what was charged, once', () => {
    const charged = [...opened, { type: 'PaymentCharged', orderId: 'o1', amountCents: 2_500 } as AccountEvent];
    const refund = decideRefund(stateOf(charged), 'o1');
    expect(refund).toEqual([{ type: 'PaymentRefunded', orderId: 'o1', amountCents: 2_500 }]);
    expect(decideRefund(stateOf([...charged, ...refund]), 'o1')).toEqual([]);
  });

  it('voids a charge refunded before it arrived, so the late charge is refused', () => {
    const voided = [...opened, ...decideRefund(stateOf(opened), 'o1')];
    expect(voided.at(-1)).toEqual({ type: 'ChargeVoided', orderId: 'o1' });
    expect(decideCharge(stateOf(voided), charge('o1', 500))).toEqual([]);
    expect(stateOf(voided).charges['o1']).toEqual({ status: 'VOIDED', amountCents: 0, reason: 'CHARGE_VOIDED' });
    expect(stateOf(voided).balanceCents).toBe(10_000);
  });

  it('declines a charge in another currency or of a non-positive amount with that reason, once, and takes nothing', () => {
    const usd = decideCharge(stateOf(opened), { ...charge('o1', 100), currency: 'USD' });
    expect(usd).toEqual([{ type: 'PaymentDeclined', orderId: 'o1', amountCents: 100, reason: 'CURRENCY_MISMATCH' }]);
    const zero = decideCharge(stateOf(opened), charge('o2', 0));
    expect(zero).toEqual([{ type: 'PaymentDeclined', orderId: 'o2', amountCents: 0, reason: 'INVALID_AMOUNT' }]);
    const after = stateOf([...opened, ...usd, ...zero]);
    expect(after.balanceCents).toBe(10_000);
    expect(after.charges['o1']).toEqual({ status: 'DECLINED', amountCents: 100, reason: 'CURRENCY_MISMATCH' });
    // the same command again: the first decision stands
    expect(decideCharge(after, { ...charge('o1', 100), currency: 'USD' })).toEqual([]);
  });
});
