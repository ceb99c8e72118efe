/** One span of an order's trace, as the console's page draws it (read from Jaeger by the backend). */
export interface TraceSpan {
  id: string;
  /** The parent span's id; null for the root (the HTTP POST /orders). */
  parentId: string | null;
  service: string;
  operation: string;
  /** When the span started, in ms after the trace's first span started. */
  startMs: number;
  durationMs: number;
  /** Whether the span ended with error status. */
  error: boolean;
  /** The error's message (the span's status description, or its exception's), when it has one. */
  errorMessage: string | null;
}

/**
 * One Kafka message of the order, read from its publish span (the outbox relay's): its CloudEvents
 * id and type, and the id of the message that caused it (`ce_causationid`; null for the first, which
 * an HTTP request caused).
 */
export interface OrderMessage {
  /** When the relay published it (ISO). */
  at: string;
  topic: string;
  type: string;
  messageId: string;
  causationId: string | null;
  /** The service that published it. */
  publishedBy: string;
  /** The services whose consumers processed it, in the trace so far. */
  consumedBy: string[];
}

/** An order's trace: its spans and the Kafka messages they carried. */
export interface OrderTrace {
  traceId: string;
  /** When its first span started (ISO). */
  startedAt: string;
  spans: TraceSpan[];
  messages: OrderMessage[];
}

/**
 * GET /api/orders/:id/trace: the trace once Jaeger has it; `pending` while Jaeger answers but holds
 * no span of the order yet (spans reach it in batches); `unavailable` when Jaeger cannot be asked.
 */
export type OrderTraceResult = { state: 'found'; trace: OrderTrace } | { state: 'pending' } | { state: 'unavailable'; detail: string };

/** A span placed on the waterfall: its bar's left edge and width, in percent of the trace's length. */
export interface WaterfallBar {
  span: TraceSpan;
  leftPercent: number;
  widthPercent: number;
}

/** One service's lane: its spans in rows, no two bars of a row overlapping in time. */
export interface WaterfallLane {
  service: string;
  rows: WaterfallBar[][];
}

export interface Waterfall {
  /** From the first span's start to the last span's end, in ms. */
  totalMs: number;
  lanes: WaterfallLane[];
}

/**
 * Bars narrower than this (in percent) are widened to it, so a span of a few microseconds in a
 * trace of seconds still shows.
 */
export const MIN_BAR_PERCENT = 0.4;

/**
 * Lays out a trace as a waterfall: one lane per service, lanes in the order their service first
 * appears in time, each span a bar placed by its start and duration on one time axis. Inside a
 * lane, spans go into the first row where they overlap nothing (greedy, by start time), so a
 * consumer's handler spans and its later publishes stay readable.
 */
export function waterfall(spans: readonly TraceSpan[]): Waterfall {
  // Of spans starting together, the longer first: a parent before the children it encloses (an HTTP request before its middleware).
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs || b.durationMs - a.durationMs || a.id.localeCompare(b.id));
  const origin = sorted.length > 0 ? sorted[0].startMs : 0;
  const end = Math.max(origin, ...sorted.map((s) => s.startMs + s.durationMs));
  const totalMs = end - origin;
  // A trace of one instant still draws: every bar then starts at 0 with the minimum width.
  const scale = totalMs > 0 ? 100 / totalMs : 0;

  const lanes = new Map<string, { lane: WaterfallLane; rowEnds: number[] }>();
  for (const span of sorted) {
    let entry = lanes.get(span.service);
    if (!entry) {
      entry = { lane: { service: span.service, rows: [] }, rowEnds: [] };
      lanes.set(span.service, entry);
    }
    const start = span.startMs - origin;
    const widthPercent = Math.min(100, Math.max(MIN_BAR_PERCENT, span.durationMs * scale));
    // A widened bar at the very end is moved left so that it stays inside the track.
    const bar = { span, leftPercent: Math.min(start * scale, 100 - widthPercent), widthPercent };
    const row = entry.rowEnds.findIndex((rowEnd) => rowEnd <= start);
    if (row === -1) {
      entry.lane.rows.push([bar]);
      entry.rowEnds.push(start + span.durationMs);
    } else {
      entry.lane.rows[row].push(bar);
      entry.rowEnds[row] = start + span.durationMs;
    }
  }
  return { totalMs, lanes: [...lanes.values()].map((e) => e.lane) };
}
