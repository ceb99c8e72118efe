import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { ConsumedMessage } from './consumed-message';

export interface ReadToEndOptions {
  topic: string;
  /** The throwaway group's name is this prefix and a random id: it commits nothing. */
  groupPrefix: string;
  /** Called with each fetched batch of committed records, in offset order per partition. */
  apply: (messages: ConsumedMessage[]) => void;
}

/**
 * Reads a topic from its start to the end it had when the read began, committed transactions only
 * (read_committed), then stops: how a stream processor rebuilds its state from its compacted
 * topic. The end of each partition is its high watermark; the last offset there may be a
 * transaction marker, which the consumer never hands over but reports as consumed (kafkajs
 * resolves batches of markers only and says so in its END_BATCH_PROCESS event).
 * Returns the number of records read.
 */
export async function readToEnd(kafka: Pick<Kafka, 'admin' | 'consumer'>, options: ReadToEndOptions): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(options.topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high) - 1n]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return 0;

  const consumer: Consumer = kafka.consumer({ groupId: `${options.groupPrefix}${randomUUID()}`, readUncommitted: false });
  let read = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const reached = (partition: number, lastOffset: string) => {
        const end = ends.get(partition);
        if (end !== undefined && BigInt(lastOffset) >= end) ends.delete(partition);
        if (ends.size === 0) resolve();
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => reached(payload.partition, payload.lastOffset));
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const messages = batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers, offset: m.offset, partition: batch.partition }));
            if (messages.length > 0) options.apply(messages);
            read += messages.length;
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}
