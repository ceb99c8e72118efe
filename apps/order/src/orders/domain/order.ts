import {
  applySagaEvent,
  canCancel,
  deadlineFromClockStart,
  startSaga,
  type SagaCommand,
  type SagaEvent,
  type SagaState,
  type SagaTimings,
} from '../saga/order-saga';
import { cannotCancel } from './order.errors';

/**
 * The order aggregate. Pure (no Nest, no TypeORM): it owns the saga state, guards every status
 * change, and records what happened as domain events, which the application layer stores as the
 * order's history, projects into the read model, and maps to integration messages.
 */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

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
  status: OrderStatus;
  saga: SagaState;
  failureReason: string | null;
  placedAt: Date;
  /** Optimistic version: how many events the order has recorded. */
  version: number;
}

/** What happened to an order: its audit trail. `status` is the order's status right after it. */
export type OrderEvent =
  | { type: 'OrderPlaced'; at: Date; status: OrderStatus; data: { customerId: string; lines: PricedLine[]; totalCents: number; currency: string } }
  | { type: 'CommandSent'; at: Date; status: OrderStatus; data: { command: SagaCommand; attempt: number } }
  | { type: 'ReplyReceived'; at: Date; status: OrderStatus; data: { reply: SagaEvent['type']; reason?: string; ignored?: string } }
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

/** Replies from the participants, as the saga sees them. */
export type ParticipantReply = Exclude<SagaEvent, { type: 'DeadlineExpired' } | { type: 'CancelRequested' }>;

export class Order {
  private recorded: OrderEvent[] = [];

  private constructor(private props: OrderProps) {}

  static place(input: PlaceOrderInput, now: Date, timings: SagaTimings): Order {
    const totalCents = input.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    const start = startSaga(now.getTime(), timings);
    const order = new Order({
      ...input,
      totalCents,
      status: 'PENDING',
      saga: start.state,
      failureReason: null,
      placedAt: now,
      version: 0,
    });
    order.record({ type: 'OrderPlaced', at: now, status: 'PENDING', data: { customerId: input.customer.id, lines: input.lines, totalCents, currency: input.currency } });
    order.recordCommands(start.commands, now);
    return order;
  }

  static restore(props: OrderProps): Order {
    return new Order(props);
  }

  get id(): string {
    return this.props.id;
  }

  get state(): Readonly<OrderProps> {
    return this.props;
  }

  /** A participant answered (or shipping reported progress). */
  receive(reply: ParticipantReply, now: Date, timings: SagaTimings): void {
    if (reply.type === 'ShipmentDispatched' && this.props.saga.status === 'COMPLETED') {
      this.ship(now);
      return;
    }
    const before = this.props.saga;
    const transition = applySagaEvent(before, reply, now.getTime(), timings);
    const reason = 'reason' in reply ? reply.reason : undefined;
    this.props.saga = transition.state;
    this.record({
      type: 'ReplyReceived',
      at: now,
      status: this.props.status,
      data: { reply: reply.type, ...(reason ? { reason } : {}), ...(transition.ignored ? { ignored: transition.ignored } : {}) },
    });
    if (reply.type === 'ShipmentDispatched' && !transition.ignored) {
      // The undoing came too late; the parcel left, so the order is shipped after all.
      this.setStatus('CONFIRMED');
      if (before.outcome === 'CANCELLED') {
        this.record({ type: 'CancelRefused', at: now, status: 'CONFIRMED', data: { reason: 'the parcel had already been dispatched' } });
      }
      if (!before.done.includes('SCHEDULE_SHIPMENT')) {
        // The undoing began while the shipment was still in flight (a deadline, or a cancel), so
        // the order was never confirmed; the shipment in fact succeeded: confirmed after all.
        this.record({ type: 'OrderConfirmed', at: now, status: 'CONFIRMED', data: {} });
      }
      this.ship(now);
      return;
    }
    this.afterTransition(before, transition.commands, now);
  }

  /** Shipping reports delivery. */
  delivered(now: Date): void {
    if (this.props.status === 'CONFIRMED') this.ship(now);
    if (this.props.status !== 'SHIPPED') return;
    this.setStatus('DELIVERED');
    this.record({ type: 'OrderDelivered', at: now, status: 'DELIVERED', data: {} });
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
        this.record({ type: 'DeadlinePostponed', at: now, status: this.props.status, data: { waitingFor: waiting, until: new Date(until).toISOString(), why: clock.why } });
        return;
      }
    }
    const transition = applySagaEvent(before, { type: 'DeadlineExpired' }, now.getTime(), timings);
    if (transition.ignored) return;
    if (waiting) this.record({ type: 'DeadlinePassed', at: now, status: this.props.status, data: { waitingFor: waiting } });
    this.props.saga = transition.state;
    this.afterTransition(before, transition.commands, now);
  }

  /** The customer cancels: allowed while PENDING or CONFIRMED (not yet dispatched). */
  cancel(now: Date, timings: SagaTimings): void {
    const { status, saga } = this.props;
    if ((status !== 'PENDING' && status !== 'CONFIRMED') || !canCancel(saga)) throw cannotCancel(this.id, status);
    const transition = applySagaEvent(saga, { type: 'CancelRequested' }, now.getTime(), timings);
    if (transition.ignored) throw cannotCancel(this.id, status);
    this.props.saga = transition.state;
    this.record({ type: 'CancelRequested', at: now, status: this.props.status, data: {} });
    this.afterTransition(saga, transition.commands, now);
  }

  /** The events recorded since the order was loaded; the caller stores and publishes them. */
  pullEvents(): OrderEvent[] {
    const events = this.recorded;
    this.recorded = [];
    return events;
  }

  private ship(now: Date): void {
    if (this.props.status !== 'CONFIRMED') return;
    this.setStatus('SHIPPED');
    this.record({ type: 'OrderShipped', at: now, status: 'SHIPPED', data: {} });
  }

  private afterTransition(before: SagaState, commands: SagaCommand[], now: Date): void {
    const saga = this.props.saga;
    if (saga.status === 'COMPENSATING' && before.status !== 'COMPENSATING') this.setStatus('COMPENSATING');
    this.recordCommands(commands, now);
    if (saga.status === before.status) return;
    if (saga.status === 'COMPLETED') {
      this.setStatus('CONFIRMED');
      this.record({ type: 'OrderConfirmed', at: now, status: 'CONFIRMED', data: {} });
    } else if (saga.status === 'REJECTED') {
      this.props.failureReason = saga.reason;
      this.setStatus('REJECTED');
      this.record({ type: 'OrderRejected', at: now, status: 'REJECTED', data: { reason: saga.reason ?? 'unknown' } });
    } else if (saga.status === 'CANCELLED') {
      this.props.failureReason = saga.reason;
      this.setStatus('CANCELLED');
      this.record({ type: 'OrderCancelled', at: now, status: 'CANCELLED', data: {} });
    }
  }

  private recordCommands(commands: SagaCommand[], now: Date): void {
    for (const command of commands) {
      // A re-sent compensation counts its attempts; anything else is a first send.
      const attempt = this.props.saga.pending[0] === command ? this.props.saga.attempts : 1;
      this.record({ type: 'CommandSent', at: now, status: this.props.status, data: { command, attempt } });
    }
  }

  private setStatus(status: OrderStatus): void {
    this.props.status = status;
  }

  private record(event: OrderEvent): void {
    this.recorded.push(event);
    this.props.version += 1;
  }
}
