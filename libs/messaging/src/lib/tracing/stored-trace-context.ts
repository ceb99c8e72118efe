import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

const tracer = trace.getTracer('shop-messaging');

/**
 * For work that a service starts on its own later (a timer, a clock) on behalf of something that
 * arrived in a trace: store `captureTraceContext()` with the row, and run the later work in
 * `inStoredTrace(...)`, so its spans, and the messages it writes to the outbox, stay in that trace.
 */
export function captureTraceContext(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] ?? null;
}

/**
 * Runs `fn` inside a new span whose parent is the stored traceparent (a new trace when there is
 * none). If `fn` throws, the span records the exception and gets error status.
 */
export function inStoredTrace<T>(traceparent: string | null, spanName: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  return context.with(parent, () =>
    tracer.startActiveSpan(spanName, { attributes }, async (span) => {
      try {
        return await fn();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}
