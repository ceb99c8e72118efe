import type { Admin } from 'kafkajs';

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** The partition's end offset: how many messages were ever written to it. */
  end: number;
  lag: number;
}

/**
 * Lag = end offset - committed offset, per partition, computed from Kafka's own offsets (no
 * library does this). A group that committed nothing on a partition lags by all of it.
 * Offsets are committed only after a message's effect, so lag 0 means every message is applied.
 */
export async function consumerLag(admin: Admin, groups: Array<{ groupId: string; topics: string[] }>): Promise<PartitionLag[]> {
  const result: PartitionLag[] = [];
  for (const { groupId, topics } of groups) {
    if (topics.length === 0) continue;
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const c = partitions.find((p) => p.partition === end.partition);
        const from = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
        result.push({ group: groupId, topic, partition: end.partition, end: Number(end.high), lag: Math.max(0, Number(end.high) - from) });
      }
    }
  }
  return result;
}
