/**
 * OpenTelemetry for a service. Import this entry point (`@shop/platform/tracing`) before
 * anything else in main.ts: instrumentation works by patching modules as they are first
 * required (http, express, Nest, pg, pino), so it must be running before they load.
 *
 * Configured through the standard OTEL_* variables, read by the SDK itself:
 *   OTEL_EXPORTER_OTLP_ENDPOINT  where spans go (default http://localhost:4318; Jaeger takes OTLP)
 *   OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG  e.g. parentbased_traceidratio / 0.1
 *   OTEL_SDK_DISABLED=true  no tracing at all
 *   TRACE_SQL_QUERIES=true  a span per SQL statement too (off by default: a message's handling
 *     is already one span, its transaction; per-statement spans cost every service CPU per order)
 * Spans are batched and exported in the background: a slow or absent collector never
 * slows a request down; spans that cannot be delivered are dropped.
 */
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';

const UNTRACED_PATHS = ['/health/', '/metrics'];

let sdk: NodeSDK | undefined;

export function startTracing(serviceName: string): void {
  if (sdk) return;
  sdk = new NodeSDK({
    serviceName,
    instrumentations: [
      // Probes and scrapes every few seconds would drown the real traces.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.some((p) => (req.url ?? '').startsWith(p)) }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      // Only queries that belong to a traced request or message; not pool housekeeping.
      ...(process.env['TRACE_SQL_QUERIES'] === 'true' ? [new PgInstrumentation({ requireParentSpan: true })] : []),
      // Puts trace_id and span_id on every log line written inside a span.
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
}

/** Flushes the spans still buffered; called on shutdown. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
