import { sagaHops, type JaegerSpan } from './hops';

const span = (spanID: string, parent: string | null, kind: string, startMs: number, durationMs: number, tags: Record<string, string> = {}): JaegerSpan => ({
  spanID,
  operationName: spanID,
  references: parent ? [{ refType: 'CHILD_OF', spanID: parent }] : [],
  startTime: startMs * 1000,
  duration: durationMs * 1000,
  tags: [{ key: 'span.kind', value: kind }, ...Object.entries(tags).map(([key, value]) => ({ key, value }))],
});

describe('sagaHops', () => {
  // POST /orders (0-10 ms) writes ReserveStock; the relay publishes it at 12 (ack at 15);
  // inventory consumes at 18 for 6 ms and replies; order consumes the reply at 40 for 5 ms.
  const trace = [
    span('http', null, 'server', 0, 10),
    span('pub1', 'http', 'producer', 12, 3),
    span('inv', 'pub1', 'consumer', 18, 6, { 'messaging.destination.name': 'inventory.commands', 'messaging.consumer.group.name': 'inventory' }),
    span('pub2', 'inv', 'producer', 30, 4),
    span('ord', 'pub2', 'consumer', 40, 5, { 'messaging.destination.name': 'inventory.events', 'messaging.consumer.group.name': 'order' }),
    // the same reply read by notification, and the catalog update: not saga hops
    span('note', 'pub2', 'consumer', 41, 2, { 'messaging.destination.name': 'inventory.events', 'messaging.consumer.group.name': 'notification' }),
    span('pub3', 'inv', 'producer', 31, 1),
    span('cat', 'pub3', 'consumer', 35, 1, { 'messaging.destination.name': 'inventory.catalog', 'messaging.consumer.group.name': 'order' }),
  ];

  it('splits each command and reply into relay wait, publish, Kafka and handler', () => {
    expect(sagaHops(trace, 1_000_000)).toEqual([
      { topic: 'inventory.commands', relayWait: 2, publish: 3, kafka: 3, handler: 6 },
      { topic: 'inventory.events', relayWait: 6, publish: 4, kafka: 6, handler: 5 },
    ]);
  });

  it('stops at the confirmation', () => {
    expect(sagaHops(trace, 40_000).map((h) => h.topic)).toEqual(['inventory.commands']);
  });
});
