import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';

/** A record as it stands in a partition's log. */
export interface StoredMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** Per topic, an offset for each partition (as kafkajs's admin gives them). */
export type Offsets = Record<string, Array<{ partition: number; offset: string }>>;

/**
 * Every record of `topics` from `from` (or each partition's start) up to the end offsets at the
 * time of the call, read with a throwaway consumer group that commits nothing. Reads each
 * partition from its start and skips what is before `from`: simpler than seeking, and a test's
 * topics hold tens of thousands of records at most. Fails after `timeoutMs` with what it was reading.
 */
export async function readTopics(kafka: Kafka, topics: string[], from?: Offsets, timeoutMs = 120_000): Promise<StoredMessage[]> {
  const admin = kafka.admin();
  const ranges: Array<{ topic: string; partition: number; start: number; end: number }> = [];
  await admin.connect();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const start = Math.max(Number(p.low), Number(from?.[topic]?.find((x) => x.partition === p.partition)?.offset ?? p.low));
        if (Number(p.high) > start) ranges.push({ topic, partition: p.partition, start, end: Number(p.high) });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ranges.length === 0) return [];
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  const messages: StoredMessage[] = [];
  const left = new Map(ranges.map((r) => [`${r.topic}/${r.partition}`, r]));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(ranges.map((r) => r.topic))], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const range = left.get(`${topic}/${partition}`);
          if (!range || Number(message.offset) < range.start) return;
          messages.push({ topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} });
          if (Number(message.offset) >= range.end - 1) left.delete(`${topic}/${partition}`);
          if (left.size === 0) resolve();
        },
      });
    });
    const what = `reading ${ranges.length} partition(s) of ${topics.join(', ')}`;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms ${what}`)), timeoutMs)));
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return messages;
}
