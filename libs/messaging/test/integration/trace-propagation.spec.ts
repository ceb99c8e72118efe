import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { captureTraceContext, ensureTopics, inStoredTrace, MessageConsumer, messagingMigrations, OutboxRelay, OutboxWriter } from '../../src';

/**
 * The trace survives the outbox: the context active when the row is written parents the
 * relay's publish span (later, on another connection), whose context travels in the Kafka
 * headers and parents the consumer's span, inside which the handler runs.
 */
describe('messaging: trace context across outbox, relay and consumer', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const topic = `test.trace.${randomUUID()}`;
  const definition = { ...ReserveStockV1, topic };
  let db: DataSource;
  let databaseUrl: string;
  let relay: OutboxRelay;
  let consumer: MessageConsumer;
  const seenInHandler: Array<{ traceId: string; spanId: string; traceparent?: string }> = [];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    databaseUrl = await recreateDatabase('test_messaging_trace');
    db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true });
    await db.initialize();
    await ensureTopics(infra.kafka, [{ topic }], 1);
    relay = new OutboxRelay({ service: 'trace-test', databaseUrl, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, pollIntervalMs: 100 });
    await relay.start();
    consumer = new MessageConsumer({ consumer: `trace-${randomUUID()}`, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, db, topics: [topic] }).on(definition, async () => {
      const active = trace.getActiveSpan()?.spanContext();
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      if (active) seenInHandler.push({ traceId: active.traceId, spanId: active.spanId, traceparent: headers['traceparent'] });
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await db?.destroy();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('links request -> publish -> process in one trace, parent to child', async () => {
    const tracer = trace.getTracer('test');
    const cause = randomUUID();
    const root = await tracer.startActiveSpan('POST /orders', { kind: SpanKind.SERVER }, async (span) => {
      await db.transaction((m) => new OutboxWriter('trace-test').add(m, definition, { orderId: 'traced-1', lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, { correlationId: 'traced-1', causationId: cause }));
      span.end();
      return span.spanContext();
    });

    await waitFor('the handler to run', async () => seenInHandler.length > 0, 30_000);
    await waitFor('the consumer span to end', async () => exporter.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER), 10_000);
    const spans = exporter.getFinishedSpans();
    const publish = spans.find((s) => s.kind === SpanKind.PRODUCER && s.name === `${topic} publish`);
    const process = spans.find((s) => s.kind === SpanKind.CONSUMER && s.name === `${topic} process`);

    expect(publish?.spanContext().traceId).toBe(root.traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(root.spanId);
    expect(publish?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.message.key': 'traced-1', 'shop.causation_id': cause });

    expect(process?.spanContext().traceId).toBe(root.traceId);
    expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(process?.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.type': 'inventory.reserve-stock', 'shop.causation_id': cause });

    // the handler ran inside the consumer span
    expect(seenInHandler[0]).toMatchObject({ traceId: root.traceId, spanId: process?.spanContext().spanId });
  });

  it('work done later from a stored traceparent continues that trace, with error status when it fails', async () => {
    const tracer = trace.getTracer('test');
    const [stored, root] = tracer.startActiveSpan('handle event', (span) => {
      span.end();
      return [captureTraceContext(), span.spanContext()] as const;
    });
    expect(stored).toBe(`00-${root.traceId}-${root.spanId}-01`);

    await inStoredTrace(stored, 'later ok', { 'shop.order_id': 'o-1' }, async () => undefined);
    await expect(inStoredTrace(stored, 'later failing', {}, async () => Promise.reject(new Error('SMTP said no')))).rejects.toThrow('SMTP said no');
    await inStoredTrace(null, 'later untraced', {}, async () => undefined);

    const spans = exporter.getFinishedSpans();
    const ok = spans.find((s) => s.name === 'later ok');
    const failing = spans.find((s) => s.name === 'later failing');
    const untraced = spans.find((s) => s.name === 'later untraced');
    expect(ok?.spanContext().traceId).toBe(root.traceId);
    expect(ok?.parentSpanContext?.spanId).toBe(root.spanId);
    expect(ok?.attributes).toMatchObject({ 'shop.order_id': 'o-1' });
    expect(ok?.status.code).toBe(SpanStatusCode.UNSET);
    expect(failing?.parentSpanContext?.spanId).toBe(root.spanId);
    expect(failing?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'SMTP said no' });
    expect(failing?.events.map((e) => e.name)).toContain('exception');
    expect(untraced?.spanContext().traceId).not.toBe(root.traceId);
    expect(untraced?.parentSpanContext).toBeUndefined();
  });
});
