/** A span as Jaeger's query API returns it (times in microseconds). */
export interface JaegerSpan {
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; spanID: string }>;
  startTime: number;
  duration: number;
  tags: Array<{ key: string; value: unknown }>;
}

/** One Kafka hop of the saga, in milliseconds. */
export interface Hop {
  topic: string;
  /** From the end of the span that wrote the outbox row to the relay's publish span. */
  relayWait: number;
  /** The relay's send until the broker's ack (acks=all). */
  publish: number;
  /** From the ack to the consumer starting on the message. */
  kafka: number;
  /** The consumer's handling: decode, validate, one transaction with the inbox row. */
  handler: number;
}

/** The request/reply traffic between order and the participants: the hops on the way to CONFIRMED. */
const SAGA_TOPIC = /^(inventory|payment|shipping)\.(commands|events)$/;

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;

/**
 * The saga hops of one order's trace that started before `untilUs` (the confirmation): each
 * CONSUMER span of a saga topic, its parent PRODUCER span (the relay's publish) and the span
 * the outbox row was written in. Replies are counted as consumed by order, commands by their
 * participant.
 */
export function sagaHops(spans: JaegerSpan[], untilUs: number): Hop[] {
  const byId = new Map(spans.map((s) => [s.spanID, s]));
  const parent = (s: JaegerSpan) => byId.get(s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID ?? '');
  const hops: Array<Hop & { at: number }> = [];
  for (const consume of spans) {
    const topic = String(tag(consume, 'messaging.destination.name') ?? '');
    if (tag(consume, 'span.kind') !== 'consumer' || !SAGA_TOPIC.test(topic) || consume.startTime >= untilUs) continue;
    if (topic.endsWith('.events') && tag(consume, 'messaging.consumer.group.name') !== 'order') continue;
    const publish = parent(consume);
    if (!publish || tag(publish, 'span.kind') !== 'producer') continue;
    const writer = parent(publish);
    const end = (s: JaegerSpan) => s.startTime + s.duration;
    hops.push({
      at: consume.startTime,
      topic,
      relayWait: writer ? Math.max(0, publish.startTime - end(writer)) / 1000 : Number.NaN,
      publish: publish.duration / 1000,
      kafka: Math.max(0, consume.startTime - end(publish)) / 1000,
      handler: consume.duration / 1000,
    });
  }
  return hops.sort((a, b) => a.at - b.at).map(({ at: _at, ...hop }) => hop);
}
