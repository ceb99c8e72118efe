import {
  applySagaEvent,
  canCancel,
  deadlineFromClockStart,
  isFinal,
  startSaga,
  type ParticipantReply,
  type SagaCommand,
  type SagaState,
  type SagaTimings,
} from '../saga/order-saga';
import { roleOfReply } from '../saga/order-saga.table';
import { cannotCancel } from './order.errors';

export type { ParticipantReply } from '../saga/order-saga';

/**
 * The order aggregate. Pure (no Nest, no TypeORM): it owns the saga state, guards every status
 * change, and records what happened as domain events, which the application layer stores as the
 * order's history, projects into the read model, and maps to integration messages.
 */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What shipping reported once the saga completed: the parcel left (the saga's point of no return), then arrived. */
export type ShipmentProgress = 'NOT_DISPATCHED' | 'DISPATCHED' | 'DELIVERED';

/**
 * The order's status, derived from its saga and its shipment rather than kept in step with them:
 * the saga says whether the order is pending, being undone or ended, and once it completed the
 * shipment says how far the parcel got.
 */
export function orderStatus(saga: SagaState, shipment: ShipmentProgress): OrderStatus {
  switch (saga.status) {
    case 'RUNNING':
      return 'PENDING';
    case 'COMPLETED':
      return shipment === 'DELIVERED' ? 'DELIVERED' : shipment === 'DISPATCHED' ? 'SHIPPED' : 'CONFIRMED';
    default:
      return saga.status; // COMPENSATING, REJECTED, CANCELLED: the saga's word is the order's
  }
}

/** The order events that end a saga, and the status each leaves the order in (the saga metrics' outcomes). */
export const SAGA_ENDINGS = { OrderConfirmed: 'CONFIRMED', OrderRejected: 'REJECTED', OrderCancelled: 'CANCELLED' } as const;

const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Order ids are UUIDs (RFC 9562): anything else names no order. */
export function isOrderId(id: string): boolean {
  return ORDER_ID.test(id);
}

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface ShippingAddress {
  name: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Customer {
  id: string;
  email: string;
  name: string;
}

export interface OrderProps {
  id: string;
  customer: Customer;
  lines: PricedLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  paymentMethod: string;
  saga: SagaState;
  shipment: ShipmentProgress;
  placedAt: Date;
  /** Optimistic version: how many events the order has recorded. */
  version: number;
}

/** The order as others see it: its props, with the status and failure reason derived from them. */
export interface OrderState extends OrderProps {
  status: OrderStatus;
  /** Why the saga ended badly (REJECTED or CANCELLED); null otherwise. */
  failureReason: string | null;
}

/** What happened to an order: its audit trail. `status` is the order's status right after it. */
export type OrderEvent =
  | { type: 'OrderPlaced'; at: Date; status: OrderStatus; data: { customerId: string; lines: PricedLine[]; totalCents: number; currency: string } }
  // messageId: the id of the message that carried the command (set when it is written to the outbox); a reply names it as its causation id.
  | { type: 'CommandSent'; at: Date; status: OrderStatus; data: { command: SagaCommand; attempt: number; messageId?: string } }
  | { type: 'ReplyReceived'; at: Date; status: OrderStatus; data: { reply: ParticipantReply['type']; reason?: string; ignored?: string } }
  | { type: 'DeadlinePassed'; at: Date; status: OrderStatus; data: { waitingFor: SagaCommand } }
  | { type: 'DeadlinePostponed'; at: Date; status: OrderStatus; data: { waitingFor: SagaCommand; until: string; why: string } }
  | { type: 'CancelRequested'; at: Date; status: OrderStatus; data: Record<string, never> }
  | { type: 'OrderConfirmed'; at: Date; status: OrderStatus; data: Record<string, never> }
  | { type: 'OrderRejected'; at: Date; status: OrderStatus; data: { reason: string } }
  | { type: 'OrderCancelled'; at: Date; status: OrderStatus; data: Record<string, never> }
  | { type: 'CancelRefused'; at: Date; status: OrderStatus; data: { reason: string } }
  | { type: 'OrderShipped'; at: Date; status: OrderStatus; data: Record<string, never> }
  | { type: 'OrderDelivered'; at: Date; status: OrderStatus; data: Record<string, never> };

export type OrderEventType = OrderEvent['type'];

export interface PlaceOrderInput {
  id: string;
  customer: Customer;
  lines: PricedLine[];
  currency: string;
  shippingAddress: ShippingAddress;
  paymentMethod: string;
}

/**
 * What the infrastructure knows about the command in flight when its deadline comes: when its
 * clock started (it reached Kafka, or Kafka came back after an outage; null while it still waits
 * to reach Kafka), and why, in words for the order's history.
 */
export interface CommandClock {
  startedAt: Date | null;
  why: string;
}

export class Order {
  private recorded: OrderEvent[] = [];

  private constructor(private props: OrderProps) {}

  static place(input: PlaceOrderInput, now: Date, timings: SagaTimings): Order {
    const totalCents = input.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    const start = startSaga(now.getTime(), timings);
    const order = new Order({ ...input, totalCents, saga: start.state, shipment: 'NOT_DISPATCHED', placedAt: now, version: 0 });
    order.record({ type: 'OrderPlaced', at: now, data: { customerId: input.customer.id, lines: input.lines, totalCents, currency: input.currency } });
    order.recordCommands(start.commands, now);
    return order;
  }

  static restore(props: OrderProps): Order {
    return new Order(props);
  }

  get id(): string {
    return this.props.id;
  }

  get status(): OrderStatus {
    return orderStatus(this.props.saga, this.props.shipment);
  }

  get state(): Readonly<OrderState> {
    const { saga } = this.props;
    return { ...this.props, status: this.status, failureReason: isFinal(saga.status) ? saga.reason : null };
  }

  /** A participant answered (or shipping reported that the parcel left). */
  receive(reply: ParticipantReply, now: Date, timings: SagaTimings): void {
    const role = roleOfReply(reply.type);
    const before = this.props.saga;
    if (role?.kind === 'pointOfNoReturn' && before.status === 'COMPLETED') {
      this.ship(now);
      return;
    }
    const transition = applySagaEvent(before, reply, now.getTime(), timings);
    const reason = 'reason' in reply ? reply.reason : undefined;
    this.record({
      type: 'ReplyReceived',
      at: now,
      data: { reply: reply.type, ...(reason ? { reason } : {}), ...(transition.ignored ? { ignored: transition.ignored } : {}) },
    });
    this.props.saga = transition.state;
    if (role?.kind === 'pointOfNoReturn' && !transition.ignored) {
      // The undoing came too late: the parcel left, so the saga completed after all (CONFIRMED),
      // and the order is shipped.
      if (before.outcome === 'CANCELLED') this.record({ type: 'CancelRefused', at: now, data: { reason: 'the parcel had already been dispatched' } });
      if (!before.done.includes(role.step)) {
        // The undoing began while the step was still in flight (a deadline, or a cancel), so the
        // order was never confirmed; the step in fact succeeded: confirmed after all.
        this.record({ type: 'OrderConfirmed', at: now, data: {} });
      }
      this.ship(now);
      return;
    }
    this.afterTransition(before, transition.commands, now);
  }

  /** Shipping reports delivery. */
  delivered(now: Date): void {
    if (this.status === 'CONFIRMED') this.ship(now);
    if (this.status !== 'SHIPPED') return;
    this.props.shipment = 'DELIVERED';
    this.record({ type: 'OrderDelivered', at: now, data: {} });
  }

  /**
   * The step or compensation in flight got no answer in time. With `clock`, the time allowed
   * counts from when the command could reach its participant: if that leaves time, the deadline
   * moves there instead (DeadlinePostponed), so a broker outage or a backlog in the outbox delays
   * the order rather than failing it.
   */
  deadlinePassed(now: Date, timings: SagaTimings, clock?: CommandClock): void {
    const before = this.props.saga;
    const waiting = before.step ?? before.pending[0];
    if (clock && waiting && before.deadlineAt !== null && before.deadlineAt <= now.getTime()) {
      const until = deadlineFromClockStart(before, clock.startedAt?.getTime() ?? null, now.getTime(), timings);
      if (until !== null && until > now.getTime()) {
        this.props.saga = { ...before, deadlineAt: until };
        this.record({ type: 'DeadlinePostponed', at: now, data: { waitingFor: waiting, until: new Date(until).toISOString(), why: clock.why } });
        return;
      }
    }
    const transition = applySagaEvent(before, { type: 'DeadlineExpired' }, now.getTime(), timings);
    if (transition.ignored) return;
    if (waiting) this.record({ type: 'DeadlinePassed', at: now, data: { waitingFor: waiting } });
    this.props.saga = transition.state;
    this.afterTransition(before, transition.commands, now);
  }

  /** The customer cancels: allowed while PENDING or CONFIRMED (not yet dispatched). */
  cancel(now: Date, timings: SagaTimings): void {
    const { saga } = this.props;
    const status = this.status;
    if ((status !== 'PENDING' && status !== 'CONFIRMED') || !canCancel(saga)) throw cannotCancel(this.id, status);
    const transition = applySagaEvent(saga, { type: 'CancelRequested' }, now.getTime(), timings);
    if (transition.ignored) throw cannotCancel(this.id, status);
    this.record({ type: 'CancelRequested', at: now, data: {} });
    this.props.saga = transition.state;
    this.afterTransition(saga, transition.commands, now);
  }

  /** The events recorded since the order was loaded; the caller stores and publishes them. */
  pullEvents(): OrderEvent[] {
    const events = this.recorded;
    this.recorded = [];
    return events;
  }

  private ship(now: Date): void {
    if (this.status !== 'CONFIRMED') return;
    this.props.shipment = 'DISPATCHED';
    this.record({ type: 'OrderShipped', at: now, data: {} });
  }

  /** Records what the saga's move means for the order: the commands it sent, and its end. */
  private afterTransition(before: SagaState, commands: SagaCommand[], now: Date): void {
    const saga = this.props.saga;
    this.recordCommands(commands, now);
    if (saga.status === before.status) return;
    if (saga.status === 'COMPLETED') this.record({ type: 'OrderConfirmed', at: now, data: {} });
    else if (saga.status === 'REJECTED') this.record({ type: 'OrderRejected', at: now, data: { reason: saga.reason ?? 'unknown' } });
    else if (saga.status === 'CANCELLED') this.record({ type: 'OrderCancelled', at: now, data: {} });
  }

  private recordCommands(commands: SagaCommand[], now: Date): void {
    for (const command of commands) {
      // A re-sent compensation counts its attempts; anything else is a first send.
      const attempt = this.props.saga.pending[0] === command ? this.props.saga.attempts : 1;
      this.record({ type: 'CommandSent', at: now, data: { command, attempt } });
    }
  }

  /** Every event carries the status the order has once it happened, derived at that moment. */
  private record(event: DistributiveOmit<OrderEvent, 'status'>): void {
    this.recorded.push({ ...event, status: this.status } as OrderEvent);
    this.props.version += 1;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
