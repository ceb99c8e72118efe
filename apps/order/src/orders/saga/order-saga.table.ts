import {
  CancelShipmentV1,
  ChargePaymentV1,
  PaymentChargedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  RefundPaymentV1,
  ReleaseStockV1,
  ReserveStockV1,
  ScheduleShipmentV1,
  ShipmentCancelledV1,
  ShipmentDispatchedV1,
  ShipmentImpossibleV1,
  ShipmentScheduledV1,
  StockReleasedV1,
  StockReservationFailedV1,
  StockReservedV1,
  type MessageDefinition,
} from '@shop/contracts';
import type { SagaTimings } from './order-saga';

/**
 * The order saga, declared once: one entry per forward step, in the order the steps run. The
 * state machine (order-saga.ts), the reply routing (SagaRepliesHandler), the outgoing messages
 * (OrderMessages), the span status (OrderSagaRunner) and the Order aggregate all read it.
 *
 * It names wire messages, and still belongs beside the pure state machine rather than in the
 * application layer: @shop/contracts is plain TypeScript that depends on nothing, a message
 * definition is frozen data, and a builder is a pure function of the order. Splitting the wire
 * part off would give every step two entries in two files, which is what this table replaces.
 */
export const ORDER_SAGA = [
  {
    step: 'RESERVE_STOCK',
    command: send(ReserveStockV1, (o) => ({ orderId: o.id, lines: o.lines.map(({ sku, quantity }) => ({ sku, quantity })) })),
    deadline: (t) => t.stepTimeoutMs,
    success: reply('StockReserved', StockReservedV1),
    failure: failure('StockReservationFailed', StockReservationFailedV1),
    compensation: 'RELEASE_STOCK',
    compensate: send(ReleaseStockV1, (o) => ({ orderId: o.id })),
    confirmation: reply('StockReleased', StockReleasedV1),
  },
  {
    step: 'CHARGE_PAYMENT',
    command: send(ChargePaymentV1, (o) => ({
      orderId: o.id,
      customerId: o.customer.id,
      amountCents: o.totalCents,
      currency: o.currency,
      paymentMethod: o.paymentMethod,
    })),
    deadline: (t) => t.stepTimeoutMs,
    success: reply('PaymentCharged', PaymentChargedV1),
    failure: failure('PaymentDeclined', PaymentDeclinedV1),
    compensation: 'REFUND_PAYMENT',
    compensate: send(RefundPaymentV1, (o) => ({ orderId: o.id, customerId: o.customer.id, currency: o.currency })),
    confirmation: reply('PaymentRefunded', PaymentRefundedV1),
  },
  {
    step: 'SCHEDULE_SHIPMENT',
    command: send(ScheduleShipmentV1, (o) => ({ orderId: o.id, address: o.shippingAddress })),
    deadline: (t) => t.stepTimeoutMs,
    success: reply('ShipmentScheduled', ShipmentScheduledV1),
    failure: failure('ShipmentImpossible', ShipmentImpossibleV1),
    compensation: 'CANCEL_SHIPMENT',
    compensate: send(CancelShipmentV1, (o) => ({ orderId: o.id })),
    confirmation: reply('ShipmentCancelled', ShipmentCancelledV1),
    // The parcel has left: shipping's answer to a CancelShipment that came too late, and its news
    // after the saga completed. A parcel cannot be called back, so the saga rolls forward.
    pointOfNoReturn: reply('ShipmentDispatched', ShipmentDispatchedV1),
  },
] as const satisfies readonly SagaStepDefinition[];

/** What the saga's commands are built from: the order (OrderProps has this shape). */
export interface SagaOrder {
  id: string;
  customer: { id: string };
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  totalCents: number;
  currency: string;
  shippingAddress: ScheduleShipmentV1['address'];
  paymentMethod: string;
}

/** A command the saga sends, and how its data is built from the order. */
export interface SagaSend {
  message: MessageDefinition<never>;
  build: (order: SagaOrder) => unknown;
}

/** A participant's reply: its name in the saga (and in the order's history), and its wire message. */
export interface SagaReply<N extends string = string> {
  name: N;
  message: MessageDefinition<never>;
}

export interface SagaStepDefinition {
  /** The step, and the name of its command in the order's history (CommandSent). */
  step: string;
  command: SagaSend;
  /** How long the participant may take to answer before the saga gives up on the step (and undoes it: it may have happened). */
  deadline: (timings: SagaTimings) => number;
  success: SagaReply;
  /** Its wire message carries the reason, which becomes the order's failure reason. */
  failure: SagaReply;
  /** The command that undoes the step; re-sent with backoff until confirmed. */
  compensation: string;
  compensate: SagaSend;
  confirmation: SagaReply;
  /**
   * A reply after which the step cannot be undone. When it answers the step's compensation, the
   * saga completes instead. Only the last step may have one: rolling forward past it would need
   * steps that were never run.
   */
  pointOfNoReturn?: SagaReply;
}

type Entry = (typeof ORDER_SAGA)[number];
export type Step = Entry['step'];
export type Compensation = Entry['compensation'];
export type SagaCommand = Step | Compensation;
export type SuccessReply = Entry['success']['name'];
export type FailureReply = Entry['failure']['name'];
export type ConfirmationReply = Entry['confirmation']['name'];
export type PointOfNoReturnReply = NonNullable<Extract<Entry, { pointOfNoReturn: unknown }>['pointOfNoReturn']>['name'];

/** Replies from the participants, as the saga sees them. */
export type ParticipantReply =
  | { type: SuccessReply | ConfirmationReply | PointOfNoReturnReply }
  | { type: FailureReply; reason: string };

/** What a reply means to the saga, found by its name. */
export type ReplyRole =
  | { kind: 'success'; step: Step }
  | { kind: 'failure'; step: Step }
  | { kind: 'confirmation'; step: Step; compensation: Compensation }
  | { kind: 'pointOfNoReturn'; step: Step };

/** The table without its literal types, for lookups. */
const STEP_DEFINITIONS: readonly SagaStepDefinition[] = ORDER_SAGA;

const ROLES = new Map<string, ReplyRole>(
  STEP_DEFINITIONS.flatMap((s): Array<[string, ReplyRole]> => {
    const step = s.step as Step;
    return [
      [s.success.name, { kind: 'success', step }],
      [s.failure.name, { kind: 'failure', step }],
      [s.confirmation.name, { kind: 'confirmation', step, compensation: s.compensation as Compensation }],
      ...(s.pointOfNoReturn ? [[s.pointOfNoReturn.name, { kind: 'pointOfNoReturn', step }] as [string, ReplyRole]] : []),
    ];
  }),
);

/** What the reply of that name means to the saga; undefined for a name the table does not have. */
export function roleOfReply(name: string): ReplyRole | undefined {
  return ROLES.get(name);
}

/**
 * Whether a reply of that name answers `command`, the saga command whose message id is the
 * reply's causation id: a step's success and failure answer the step's command, a confirmation
 * answers its compensation, and the point of no return answers the compensation it came too late
 * for. `null`: the message was caused by no command; only a point of no return comes so, as news
 * (shipping's clock announcing a dispatch). Anything else is no answer: the reply is refused.
 */
export function replyAnswers(reply: string, command: SagaCommand | null): boolean {
  const role = ROLES.get(reply);
  if (!role) return false;
  const step = stepDefinition(role.step);
  switch (role.kind) {
    case 'success':
    case 'failure':
      return command === step.step;
    case 'confirmation':
      return command === step.compensation;
    case 'pointOfNoReturn':
      return command === null || command === step.compensation;
  }
}

export function stepDefinition(step: Step): SagaStepDefinition {
  const found = STEP_DEFINITIONS.find((s) => s.step === step);
  if (!found) throw new Error(`no saga step ${step}`);
  return found;
}

/** The wire message for a saga command, with its data built from the order. */
export function commandMessage(command: SagaCommand, order: SagaOrder): { message: MessageDefinition<never>; data: unknown } {
  for (const s of STEP_DEFINITIONS) {
    const sent = s.step === command ? s.command : s.compensation === command ? s.compensate : null;
    if (sent) return { message: sent.message, data: sent.build(order) };
  }
  throw new Error(`no saga command ${command}`);
}

/** Every wire message that answers the saga: what SagaRepliesHandler subscribes to. */
export const SAGA_REPLY_MESSAGES: ReadonlyArray<MessageDefinition<never>> = STEP_DEFINITIONS.flatMap((s) =>
  [s.success, s.failure, s.confirmation, s.pointOfNoReturn].flatMap((r) => (r ? [r.message] : [])),
);

/**
 * The saga reply a wire message stands for (found by its type and version), with the failure
 * reason when it is a failure; undefined when the table has no such reply.
 */
export function replyFromMessage(type: string, version: number, data: { reason?: unknown }): ParticipantReply | undefined {
  const is = (r: SagaReply | undefined): r is SagaReply => r !== undefined && r.message.type === type && r.message.version === version;
  for (const s of STEP_DEFINITIONS) {
    if (is(s.failure)) return { type: s.failure.name as FailureReply, reason: String(data.reason) };
    const answer = [s.success, s.confirmation, s.pointOfNoReturn].find(is);
    if (answer) return { type: answer.name as SuccessReply | ConfirmationReply | PointOfNoReturnReply };
  }
  return undefined;
}

/** A command and its builder; NoInfer makes the builder match the message's data, not the other way round. */
function send<T>(message: MessageDefinition<T>, build: (order: SagaOrder) => NoInfer<T>): SagaSend {
  return { message: message as MessageDefinition<never>, build };
}

function reply<const N extends string, T extends { orderId: string }>(name: N, message: MessageDefinition<T>): SagaReply<N> {
  return { name, message: message as MessageDefinition<never> };
}

/** A failure's message must carry the reason. */
function failure<const N extends string, T extends { orderId: string; reason: string }>(name: N, message: MessageDefinition<T>): SagaReply<N> {
  return { name, message: message as MessageDefinition<never> };
}
