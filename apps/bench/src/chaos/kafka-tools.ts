import { Headers, TOPOLOGY, type MessageDefinition } from '@shop/contracts';
import { readTopics, type Offsets, type StoredMessage } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaConfig, type SASLOptions, type IHeaders, type Producer } from 'kafkajs';

/** Where a consumer dead-letters what it cannot handle (libs/messaging's deadLetterTopic). */
export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/**
 * The consumer groups (one per service, named after it) and the topics each reads, from libs/contracts.
 * Not the stream processors (TOPOLOGY's `state`: analytics): the chaos shop does not run them.
 */
export const CONSUMED: ReadonlyArray<{ group: string; topics: string[]; receives: readonly MessageDefinition[] }> = Object.entries(TOPOLOGY)
  .filter(([, m]) => m.receives.length > 0 && !m.state)
  .map(([group, m]) => ({ group, topics: [...new Set(m.receives.map((d) => d.topic))], receives: m.receives }));

export type { Offsets };

/** Every topic some service reads. */
export const CONSUMED_TOPICS = [...new Set(CONSUMED.flatMap((c) => c.topics))].sort();

/** The poison the chaos suite injects, and what a consumer must do with each. */
export const POISON_KINDS = [
  { kind: 'not-json', deadLettered: true },
  { kind: 'wrong-schema', deadLettered: true },
  { kind: 'oversized', deadLettered: true },
  { kind: 'missing-headers', deadLettered: true },
  { kind: 'unknown-type', deadLettered: false },
  { kind: 'unknown-version', deadLettered: false },
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number]['kind'];
export const POISON_KEY_PREFIX = 'chaos-poison-';

/** Kafka seen from outside the shop: offsets, lag, re-delivery, poison, dead letters. */
export class ChaosKafka {
  private readonly kafka: Kafka;
  private admin?: Admin;
  private producer?: Producer;

  /** `brokers`: every node, comma separated. `ssl`: kafkajs's option, the shop's brokers verified against its CA (false in plain text). */
  constructor(brokers: string, sasl: SASLOptions, ssl: KafkaConfig['ssl']) {
    this.kafka = new Kafka({ clientId: 'chaos', brokers: brokers.split(','), ssl, sasl, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  }

  async close(): Promise<void> {
    await this.dropClients();
  }

  /** Forgets the connections (after Kafka was restarted, the next call connects again). */
  async dropClients(): Promise<void> {
    const { admin, producer } = this;
    this.admin = undefined;
    this.producer = undefined;
    await admin?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  /** The broker ids the cluster lists now (a killed node drops out once the controller has fenced it). */
  async brokerIds(): Promise<number[]> {
    const admin = await this.connectedAdmin();
    return (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  }

  /** Every partition of `topics`: its leader and in-sync replicas (broker ids). */
  async partitions(topics: string[]): Promise<Array<{ topic: string; partition: number; leader: number; isr: number[] }>> {
    const admin = await this.connectedAdmin();
    const { topics: found } = await admin.fetchTopicMetadata({ topics });
    return found.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, isr: p.isr })));
  }

  /** The end offset of every partition of `topics`, now. */
  async ends(topics: string[]): Promise<Offsets> {
    const admin = await this.connectedAdmin();
    const result: Offsets = {};
    for (const topic of topics) {
      result[topic] = (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
    }
    return result;
  }

  /** Messages the groups have not committed yet, summed over every partition they read. */
  async lag(): Promise<number> {
    const admin = await this.connectedAdmin();
    let lag = 0;
    for (const { group, topics } of CONSUMED) {
      const committed = await admin.fetchOffsets({ groupId: group, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const p of partitions) {
          const end = ends.find((e) => e.partition === p.partition);
          if (!end) continue;
          const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
          lag += Math.max(0, Number(end.high) - from);
        }
      }
    }
    return lag;
  }

  /** Every message of `topics` from `from` (or the beginning) up to the end offsets at the time of the call. */
  read(topics: string[], from?: Offsets): Promise<StoredMessage[]> {
    return readTopics(this.kafka, topics, from);
  }

  /** Produces every message written to `topics` since `from` once more, unchanged (key, headers, value): each is delivered a second time. */
  async redeliver(topics: string[], from: Offsets): Promise<number> {
    const messages = await this.read(topics, from);
    const producer = await this.connectedProducer();
    for (const topic of topics) {
      const batch = messages.filter((m) => m.topic === topic);
      for (let i = 0; i < batch.length; i += 500) {
        await producer.send({
          topic,
          acks: -1,
          messages: batch.slice(i, i + 500).map((m) => ({ key: m.key, value: m.value, headers: m.headers, partition: m.partition })),
        });
      }
    }
    return messages.length;
  }

  /**
   * Injects one message of each poison kind into every consumed topic, keyed `chaos-poison-…`
   * (no real order has such a key). Returns how many copies must reach the dead-letter topics:
   * one per kind that is poison and per group reading the topic.
   */
  async injectPoison(): Promise<{ injected: number; expectedDeadLetters: Record<string, number> }> {
    const producer = await this.connectedProducer();
    const expectedDeadLetters: Record<string, number> = {};
    let injected = 0;
    for (const topic of CONSUMED_TOPICS) {
      const readers = CONSUMED.filter((c) => c.topics.includes(topic));
      const handled = readers[0].receives.find((d) => d.topic === topic) as MessageDefinition;
      const messages = POISON_KINDS.map(({ kind }) => poisonMessage(kind, handled, `${POISON_KEY_PREFIX}${kind}-${topic}`));
      await producer.send({ topic, acks: -1, messages });
      injected += messages.length;
      expectedDeadLetters[deadLetterTopic(topic)] = POISON_KINDS.filter((p) => p.deadLettered).length * readers.length;
    }
    return { injected, expectedDeadLetters };
  }

  /** What the dead-letter topics hold: per topic, the injected poison and anything else. */
  async deadLetters(): Promise<Record<string, { poison: number; other: number; otherErrors: string[] }>> {
    const topics = CONSUMED_TOPICS.map(deadLetterTopic);
    const result: Record<string, { poison: number; other: number; otherErrors: string[] }> = {};
    for (const topic of topics) result[topic] = { poison: 0, other: 0, otherErrors: [] };
    for (const m of await this.read(topics)) {
      const entry = result[m.topic];
      if (m.key?.toString().startsWith(POISON_KEY_PREFIX)) entry.poison += 1;
      else {
        entry.other += 1;
        entry.otherErrors.push(String(m.headers['dlq-error'] ?? '?'));
      }
    }
    return result;
  }

  private connectedAdmin(): Promise<Admin> {
    const admin = this.admin ?? this.kafka.admin();
    if (!this.admin) {
      this.admin = admin;
      return admin.connect().then(() => admin);
    }
    return Promise.resolve(admin);
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
    return producer;
  }
}

function poisonMessage(kind: PoisonKind, handled: MessageDefinition, key: string): { key: string; value: string; headers: IHeaders } {
  const headers = (type: string, version: number): IHeaders => ({
    [Headers.id]: randomUUID(),
    [Headers.type]: type,
    [Headers.source]: 'chaos',
    [Headers.specVersion]: '1.0',
    [Headers.time]: new Date().toISOString(),
    [Headers.contentType]: 'application/json',
    [Headers.dataVersion]: String(version),
  });
  const ok = headers(handled.type, handled.version);
  switch (kind) {
    case 'not-json':
      return { key, value: '{"orderId": "chaos", this is not JSON', headers: ok };
    case 'wrong-schema':
      return { key, value: JSON.stringify({ orderId: 42 }), headers: ok };
    case 'oversized':
      // 700 KB: under the broker's 1 MB limit, far over any field's maxLength.
      return { key, value: JSON.stringify({ orderId: key, padding: 'x'.repeat(700 * 1024) }), headers: ok };
    case 'missing-headers':
      return { key, value: JSON.stringify({ orderId: key }), headers: {} };
    case 'unknown-type':
      return { key, value: JSON.stringify({ orderId: key }), headers: headers('shop.chaos.unknown-type', 1) };
    case 'unknown-version':
      return { key, value: JSON.stringify({ orderId: key }), headers: headers(handled.type, 99) };
  }
}
