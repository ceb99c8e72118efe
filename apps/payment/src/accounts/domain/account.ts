/**
 * A customer's payment account, event-sourced: its state is never stored as such, only the
 * events that happened to it. `evolve` folds events into state; `decide*` turn a request
 * into the events it causes. Both are pure; the repository appends and replays.
 */
export type AccountEvent =
  | { type: 'AccountOpened'; customerId: string; balanceCents: number; currency: string }
  | { type: 'PaymentCharged'; orderId: string; amountCents: number }
  | { type: 'PaymentDeclined'; orderId: string; amountCents: number; reason: DeclineReason }
  | { type: 'PaymentRefunded'; orderId: string; amountCents: number }
  /** A refund for an order that was never charged: remembered, so a late charge is refused. */
  | { type: 'ChargeVoided'; orderId: string };

export type DeclineReason = 'CARD_DECLINED' | 'INSUFFICIENT_FUNDS' | 'CHARGE_VOIDED' | 'CURRENCY_MISMATCH' | 'INVALID_AMOUNT';

export type ChargeStatus = 'CHARGED' | 'DECLINED' | 'REFUNDED' | 'VOIDED';

export interface AccountState {
  customerId: string;
  currency: string;
  balanceCents: number;
  /** What happened to each order's charge; makes charge and refund idempotent per order. */
  charges: Record<string, ChargeRecord>;
}

export interface ChargeRecord {
  status: ChargeStatus;
  amountCents: number;
  reason?: DeclineReason;
}

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
}

/** Documented test payment method that always declines (see apps/payment/README.md). */
export const DECLINING_PAYMENT_METHOD = 'card_declined';

export function evolve(state: AccountState | null, event: AccountEvent): AccountState {
  if (event.type === 'AccountOpened') {
    return { customerId: event.customerId, currency: event.currency, balanceCents: event.balanceCents, charges: {} };
  }
  if (!state) throw new Error(`${event.type} before AccountOpened`);
  switch (event.type) {
    case 'PaymentCharged':
      return withCharge({ ...state, balanceCents: state.balanceCents - event.amountCents }, event.orderId, 'CHARGED', event.amountCents);
    case 'PaymentDeclined':
      return withCharge(state, event.orderId, 'DECLINED', event.amountCents, event.reason);
    case 'PaymentRefunded':
      return withCharge({ ...state, balanceCents: state.balanceCents + event.amountCents }, event.orderId, 'REFUNDED', event.amountCents);
    case 'ChargeVoided':
      return withCharge(state, event.orderId, 'VOIDED', 0, 'CHARGE_VOIDED');
  }
}

export function replay(events: readonly AccountEvent[], from: AccountState | null = null): AccountState | null {
  return events.reduce<AccountState | null>(evolve, from);
}

export function openAccount(customerId: string, balanceCents: number, currency: string): AccountEvent[] {
  return [{ type: 'AccountOpened', customerId, balanceCents, currency }];
}

/**
 * Charging the same order twice is a no-op: the first decision stands. A charge the account's
 * rules refuse (another currency, an amount that is not a positive number of cents) is declined
 * with that reason, like a declined card: the saga compensates at once. (Thrown instead, it
 * would be retried, dead-lettered, and the order would wait for its step deadline.)
 */
export function decideCharge(state: AccountState, request: ChargeRequest): AccountEvent[] {
  if (state.charges[request.orderId]) return [];
  const decline = (reason: DeclineReason): AccountEvent[] => [
    { type: 'PaymentDeclined', orderId: request.orderId, amountCents: request.amountCents, reason },
  ];
  if (request.currency !== state.currency) return decline('CURRENCY_MISMATCH');
  if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) return decline('INVALID_AMOUNT');
  if (request.paymentMethod === DECLINING_PAYMENT_METHOD) return decline('CARD_DECLINED');
  if (state.balanceCents < request.amountCents) return decline('INSUFFICIENT_FUNDS');
  return [{ type: 'PaymentCharged', orderId: request.orderId, amountCents: request.amountCents }];
}

/**
 * Refunds what was charged, once. A refund that arrives before (or instead of) the charge
 * voids the order's charge, so a charge delivered late is declined rather than kept.
 */
export function decideRefund(state: AccountState, orderId: string): AccountEvent[] {
  const charge = state.charges[orderId];
  if (!charge) return [{ type: 'ChargeVoided', orderId }];
  if (charge.status === 'CHARGED') return [{ type: 'PaymentRefunded', orderId, amountCents: charge.amountCents }];
  return [];
}

function withCharge(state: AccountState, orderId: string, status: ChargeStatus, amountCents: number, reason?: DeclineReason): AccountState {
  const record: ChargeRecord = reason ? { status, amountCents, reason } : { status, amountCents };
  return { ...state, charges: { ...state.charges, [orderId]: record } };
}
