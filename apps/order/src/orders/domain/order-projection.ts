import type { OrderStatus, PricedLine } from './order';

/** One row of order_event, as stored. */
export interface StoredOrderEvent {
  orderId: string;
  seq: number;
  type: string;
  status: OrderStatus;
  data: Record<string, unknown>;
  at: Date;
}

export interface TimelineEntry {
  at: string;
  event: string;
  command?: string;
  attempt?: number;
  reply?: string;
  reason?: string;
  ignored?: string;
  waitingFor?: string;
  /** DeadlinePostponed: the new deadline, and why. */
  until?: string;
  why?: string;
}

/** The read model of one order (order_view): what GET /orders and GET /orders/:id return. */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: Array<PricedLine & { lineTotalCents: number }>;
  totalCents: number;
  currency: string;
  failureReason: string | null;
  timeline: TimelineEntry[];
  placedAt: Date;
  updatedAt: Date;
  version: number;
}

/**
 * Folds one stored event into the view. Pure, and the only place the read model is shaped:
 * live updates and the replay (`--rebuild-read-model`) both go through it, so they cannot differ.
 */
export function projectEvent(view: OrderView | null, event: StoredOrderEvent): OrderView {
  if (event.type === 'OrderPlaced') {
    const data = event.data as { customerId: string; lines: PricedLine[]; totalCents: number; currency: string };
    return {
      id: event.orderId,
      customerId: data.customerId,
      status: event.status,
      lines: data.lines.map((l) => ({ ...l, lineTotalCents: l.quantity * l.unitPriceCents })),
      totalCents: data.totalCents,
      currency: data.currency,
      failureReason: null,
      timeline: [timelineEntry(event)],
      placedAt: event.at,
      updatedAt: event.at,
      version: event.seq,
    };
  }
  if (!view) throw new Error(`order ${event.orderId}: ${event.type} (seq ${event.seq}) before OrderPlaced`);
  if (event.seq <= view.version) return view; // already folded in
  const reason = typeof event.data['reason'] === 'string' ? event.data['reason'] : null;
  return {
    ...view,
    status: event.status,
    failureReason: event.type === 'OrderRejected' ? reason : event.type === 'OrderCancelled' ? 'cancelled by the customer' : view.failureReason,
    timeline: [...view.timeline, timelineEntry(event)],
    updatedAt: event.at,
    version: event.seq,
  };
}

function timelineEntry(event: StoredOrderEvent): TimelineEntry {
  const { lines: _lines, customerId: _customerId, totalCents: _total, currency: _currency, ...details } = event.data;
  return { at: event.at.toISOString(), event: event.type, ...(details as Omit<TimelineEntry, 'at' | 'event'>) };
}
