import { pickOrderTrace, readJaegerTrace, type JaegerSpan, type JaegerTrace } from './jaeger-trace';

/** A span as Jaeger's GET /api/traces returns it; times in µs from a fixed origin. */
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0) * 1000;
const span = (id: string, processID: string, startUs: number, durationUs: number, tags: Record<string, unknown> = {}, parent?: string, extra: Partial<JaegerSpan> = {}): JaegerSpan => ({
  spanID: id,
  operationName: `op ${id}`,
  references: parent ? [{ refType: 'CHILD_OF', spanID: parent }] : [],
  startTime: T0 + startUs,
  duration: durationUs,
  processID,
  tags: Object.entries(tags).map(([key, value]) => ({ key, value, type: typeof value === 'boolean' ? 'bool' : 'string' })),
  logs: [],
  ...extra,
});
const publish = (id: string, p: string, startUs: number, parent: string, messageId: string, type: string, topic: string, causationId?: string) =>
  span(
    id,
    p,
    startUs,
    500,
    {
      'span.kind': 'producer',
      'messaging.system': 'kafka',
      'messaging.message.id': messageId,
      'messaging.message.type': type,
      'messaging.destination.name': topic,
      ...(causationId ? { 'shop.causation_id': causationId } : {}),
    },
    parent,
  );
const consume = (id: string, p: string, startUs: number, parent: string, messageId: string) =>
  span(id, p, startUs, 2000, { 'span.kind': 'consumer', 'messaging.system': 'kafka', 'messaging.message.id': messageId }, parent);

const processes = { p1: { serviceName: 'order' }, p2: { serviceName: 'inventory' }, p3: { serviceName: 'notification' } };

/** Placement, the reserve-stock command, its consumption and the reply: Jaeger's order is not time order. */
const trace: JaegerTrace = {
  traceID: 'abc123',
  processes,
  spans: [
    consume('c1', 'p2', 12_000, 'pub1', 'm-1'),
    span('root', 'p1', 0, 10_000, { 'span.kind': 'server' }),
    publish('pub1', 'p1', 11_000, 'root', 'm-1', 'inventory.reserve-stock', 'inventory.commands'),
    publish('pub2', 'p2', 15_000, 'c1', 'm-2', 'inventory.stock-reserved', 'inventory.events', 'm-1'),
    consume('c2', 'p1', 16_000, 'pub2', 'm-2'),
    consume('c3', 'p3', 16_500, 'pub2', 'm-2'),
  ],
};

describe('readJaegerTrace', () => {
  it('spans in time order, relative to the first, in ms, with their service and parent', () => {
    const read = readJaegerTrace(trace);
    expect(read.traceId).toBe('abc123');
    expect(read.startedAt).toBe('2026-12-02T12:00:00.000Z');
    expect(read.spans.map((s) => [s.id, s.parentId, s.service, s.startMs, s.durationMs])).toEqual([
      ['root', null, 'order', 0, 10],
      ['pub1', 'root', 'order', 11, 0.5],
      ['c1', 'pub1', 'inventory', 12, 2],
      ['pub2', 'c1', 'inventory', 15, 0.5],
      ['c2', 'pub2', 'order', 16, 2],
      ['c3', 'pub2', 'notification', 16.5, 2],
    ]);
    expect(read.spans.every((s) => !s.error && s.errorMessage === null)).toBe(true);
  });

  it('lists the Kafka messages from the publish spans: topic, type, id, cause, and who consumed them', () => {
    expect(readJaegerTrace(trace).messages).toEqual([
      { at: '2026-12-02T12:00:00.011Z', topic: 'inventory.commands', type: 'inventory.reserve-stock', messageId: 'm-1', causationId: null, publishedBy: 'order', consumedBy: ['inventory'] },
      {
        at: '2026-12-02T12:00:00.015Z',
        topic: 'inventory.events',
        type: 'inventory.stock-reserved',
        messageId: 'm-2',
        causationId: 'm-1',
        publishedBy: 'inventory',
        consumedBy: ['notification', 'order'],
      },
    ]);
  });

  it('a message published but not consumed yet has no consumer; a span whose parent has not arrived keeps its id', () => {
    const partial = readJaegerTrace({ traceID: 't', processes, spans: [publish('pub9', 'p1', 0, 'not-here-yet', 'm-9', 'payment.charge-payment', 'payment.commands')] });
    expect(partial.messages[0].consumedBy).toEqual([]);
    expect(partial.spans[0].parentId).toBe('not-here-yet');
  });

  it('marks error status, with the status message, else the exception event message', () => {
    const failed = readJaegerTrace({
      traceID: 't',
      processes,
      spans: [
        span('a', 'p1', 0, 10, { error: true, 'otel.status_code': 'ERROR', 'otel.status_description': 'payment declined: CARD_DECLINED' }),
        span('b', 'p1', 1, 10, { error: true }, undefined, {
          logs: [
            {
              timestamp: T0,
              fields: [
                { key: 'event', value: 'exception' },
                { key: 'exception.message', value: 'connect ECONNREFUSED' },
              ],
            },
          ],
        }),
        span('c', 'p1', 2, 10, { 'otel.status_code': 'ERROR' }),
        span('d', 'p1', 3, 10, { 'otel.status_code': 'OK' }),
      ],
    });
    expect(failed.spans.map((s) => [s.id, s.error, s.errorMessage])).toEqual([
      ['a', true, 'payment declined: CARD_DECLINED'],
      ['b', true, 'connect ECONNREFUSED'],
      ['c', true, null],
      ['d', false, null],
    ]);
  });

  it('a span of a process Jaeger did not describe is filed under "unknown", not dropped', () => {
    expect(readJaegerTrace({ traceID: 't', processes, spans: [span('x', 'p9', 0, 1)] }).spans[0].service).toBe('unknown');
  });
});

describe('pickOrderTrace', () => {
  it('takes the trace with the most spans; none when Jaeger found nothing', () => {
    const small: JaegerTrace = { traceID: 'small', processes, spans: [span('x', 'p1', 0, 1)] };
    expect(pickOrderTrace([small, trace])?.traceID).toBe('abc123');
    expect(pickOrderTrace([trace, small])?.traceID).toBe('abc123');
    expect(pickOrderTrace([])).toBeNull();
    expect(pickOrderTrace([{ traceID: 'empty', processes, spans: [] }])).toBeNull();
  });
});
