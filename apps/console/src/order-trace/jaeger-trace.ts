import type { OrderMessage, OrderTrace, TraceSpan } from '@shop/console-api';

/** A trace as Jaeger's query API (`GET /api/traces`, the JSON its UI reads) returns it; only what the console reads. */
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export interface JaegerSpan {
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; spanID: string }>;
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  processID: string;
  tags?: JaegerKeyValue[];
  /** Span events; an exception's carries `exception.message`. */
  logs?: Array<{ timestamp: number; fields: JaegerKeyValue[] }>;
}

interface JaegerKeyValue {
  key: string;
  value: unknown;
}

const tag = (span: JaegerSpan, key: string): unknown => span.tags?.find((t) => t.key === key)?.value;
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Reads one order's trace into what the page draws: its spans (times relative to the first span)
 * and the Kafka messages its publish spans carried, with the services that consumed each. Works
 * on a trace still arriving (spans reach Jaeger in batches): a span whose parent is not there yet
 * keeps its parent's id, a message not yet consumed has no consumer.
 */
export function readJaegerTrace(trace: JaegerTrace): OrderTrace {
  const service = (span: JaegerSpan) => trace.processes[span.processID]?.serviceName ?? 'unknown';
  const originUs = Math.min(...trace.spans.map((s) => s.startTime));
  const spans: TraceSpan[] = [...trace.spans]
    .sort((a, b) => a.startTime - b.startTime || b.duration - a.duration)
    .map((s) => ({
      id: s.spanID,
      parentId: (s.references?.find((r) => r.refType === 'CHILD_OF') ?? s.references?.[0])?.spanID ?? null,
      service: service(s),
      operation: s.operationName,
      startMs: (s.startTime - originUs) / 1000,
      durationMs: s.duration / 1000,
      ...spanError(s),
    }));

  const isKafka = (kind: string) => (s: JaegerSpan) => tag(s, 'span.kind') === kind && tag(s, 'messaging.system') === 'kafka';
  const consumers = trace.spans.filter(isKafka('consumer'));
  const messages: OrderMessage[] = trace.spans
    .filter(isKafka('producer'))
    .sort((a, b) => a.startTime - b.startTime)
    .map((p) => {
      const messageId = String(tag(p, 'messaging.message.id') ?? '');
      return {
        at: new Date(p.startTime / 1000).toISOString(),
        topic: String(tag(p, 'messaging.destination.name') ?? ''),
        type: String(tag(p, 'messaging.message.type') ?? ''),
        messageId,
        causationId: text(tag(p, 'shop.causation_id')),
        publishedBy: service(p),
        consumedBy: [...new Set(consumers.filter((c) => tag(c, 'messaging.message.id') === messageId).map(service))].sort(),
      };
    });

  return { traceId: trace.traceID, startedAt: new Date(originUs / 1000).toISOString(), spans, messages };
}

/**
 * OpenTelemetry's error status as Jaeger shows it: the tag `error` (or `otel.status_code` ERROR),
 * the message in `otel.status_description`, else in the span's exception event.
 */
function spanError(span: JaegerSpan): Pick<TraceSpan, 'error' | 'errorMessage'> {
  const error = tag(span, 'error') === true || tag(span, 'otel.status_code') === 'ERROR';
  if (!error) return { error, errorMessage: null };
  const exception = span.logs?.flatMap((l) => l.fields).find((f) => f.key === 'exception.message')?.value;
  return { error, errorMessage: text(tag(span, 'otel.status_description')) ?? text(exception) };
}

/** Of the traces tagged with an order's id, the order's: the one with the most spans (normally there is one). */
export function pickOrderTrace(traces: readonly JaegerTrace[]): JaegerTrace | null {
  return traces.filter((t) => t.spans.length > 0).reduce<JaegerTrace | null>((best, t) => (best && best.spans.length >= t.spans.length ? best : t), null);
}
