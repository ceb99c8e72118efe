/**
 * patches/kafkajs+2.2.4.patch, its send part: kafkajs's sendMessages, the code under every
 * producer's send() and sendBatch() (the outbox relay's, the dead-letter producer's, analytics'),
 * driven through a fake cluster. Unpatched, a retry skipped each broker that had answered an
 * earlier attempt: when a dead leader's partitions had moved to such a broker, their messages were
 * never sent again and send() resolved as if they had been. The same crash against a real
 * three-node cluster: libs/infra/test/integration/kafka-cluster.spec.ts.
 */
const sendMessages = require('kafkajs/src/producer/sendMessages') as (deps: object) => (request: object) => Promise<Array<{ topicName: string; partition: number }>>;
const createRetry = require('kafkajs/src/retry') as (options: object) => unknown;
const { KafkaJSConnectionError } = require('kafkajs/src/errors') as { KafkaJSConnectionError: new (message: string) => Error };

interface Produced {
  nodeId: number;
  partition: number;
  values: string[];
}
type TopicData = Array<{ topic: string; partitions: Array<{ partition: number; messages: Array<{ value: string }> }> }>;

const TOPIC = 'orders';

/**
 * Two brokers and a two-partition topic: partition 1 led by broker 2 throughout, partition 0 by
 * broker 1 until the metadata is refreshed, then by broker 2 (broker 1 crashed: every produce to
 * it fails with a connection error). Records what each broker was sent.
 */
function clusterWithACrashedLeader(): { deps: object; produced: Produced[] } {
  let leaderOfPartition0 = 1;
  const produced: Produced[] = [];
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: TopicData }) {
      if (nodeId === 1) throw new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      for (const t of topicData) for (const p of t.partitions) produced.push({ nodeId, partition: Number(p.partition), values: p.messages.map((m) => m.value) });
      return { topics: topicData.map((t) => ({ topicName: t.topic, partitions: t.partitions.map((p) => ({ partition: Number(p.partition), errorCode: 0, baseOffset: '7' })) })) };
    },
  });
  const brokers: Record<number, ReturnType<typeof broker>> = { 1: broker(1), 2: broker(2) };
  const leaderOf = (partition: number) => (partition === 0 ? leaderOfPartition0 : 2);
  const cluster = {
    targetTopics: new Set([TOPIC]),
    addMultipleTargetTopics: async () => undefined,
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => void (leaderOfPartition0 = 2),
    isConnected: () => true,
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => [0, 1].map((partitionId) => ({ partitionId, leader: leaderOf(partitionId) })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const perLeader: Record<number, number[]> = {};
      for (const p of partitions.map(Number)) (perLeader[leaderOf(p)] ??= []).push(p);
      return perLeader;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers[Number(nodeId)],
  };
  const sequences = new Map<string, number>();
  const eosManager = {
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    isTransactional: () => false,
    getSequence: (topic: string, partition: number) => sequences.get(`${topic}:${partition}`) ?? 0,
    updateSequence: (topic: string, partition: number, increment: number) => sequences.set(`${topic}:${partition}`, (sequences.get(`${topic}:${partition}`) ?? 0) + increment),
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
  };
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const partitioner = ({ message }: { message: { partition: number } }) => message.partition;
  return { deps: { logger, cluster, partitioner, eosManager, retrier: createRetry({ retries: 3, initialRetryTime: 5 }) }, produced };
}

describe('kafkajs send as patched: a partition whose leader crashed mid-send', () => {
  it('is sent again to its new leader, though that broker answered the first attempt for another partition', async () => {
    const { deps, produced } = clusterWithACrashedLeader();
    const send = sendMessages(deps);
    const acks = await send({ acks: -1, timeout: 1000, topicMessages: [{ topic: TOPIC, messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] }] });
    // Partition 1 once (first attempt), partition 0 once (the retry, to its new leader): each written, none twice.
    expect(produced).toEqual([
      { nodeId: 2, partition: 1, values: ['b'] },
      { nodeId: 2, partition: 0, values: ['a'] },
    ]);
    expect(acks.map((a) => [a.topicName, a.partition]).sort()).toEqual([
      [TOPIC, 0],
      [TOPIC, 1],
    ]);
  });

  it('keeps each keyless message on the partition it was first given, across retries', async () => {
    const { deps, produced } = clusterWithACrashedLeader();
    let turn = 0;
    // A round-robin partitioner, as kafkajs's default is for messages without a key.
    const send = sendMessages({ ...deps, partitioner: () => turn++ % 2 });
    await send({ acks: -1, timeout: 1000, topicMessages: [{ topic: TOPIC, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] }] });
    const written = produced.flatMap((p) => p.values.map((value) => ({ value, partition: p.partition }))).sort((x, y) => x.value.localeCompare(y.value));
    expect(written).toEqual([
      { value: 'a', partition: 0 },
      { value: 'b', partition: 1 },
      { value: 'c', partition: 0 },
    ]);
  });
});
