import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumedBatch, ConsumedMessage } from './consumed-message';
import { isFenced, TransactionalProcessor, type TransactionalProcessorOptions } from './transactional-processor';

/**
 * A stand-in for kafkajs with what the processor uses, recording every call in order. The state
 * topic's consumers (groups starting `state-`) hand over `stateLog` and report the end reached;
 * the input consumer's batches are delivered by the test (`deliver`).
 */
class FakeKafka {
  readonly calls: string[] = [];
  readonly producerConfigs: unknown[] = [];
  readonly consumerConfigs: Array<{ groupId: string; readUncommitted?: boolean }> = [];
  readonly runConfigs: Array<Record<string, unknown>> = [];
  stateLog: Array<{ partition: number; offset: string; value: string }> = [];
  /** Makes the next transaction's commit fail with this error. */
  failCommit?: Error;
  private eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  resolved: string[] = [];
  inputJoined?: Promise<void>;
  private joined?: () => void;

  constructor() {
    this.inputJoined = new Promise((r) => (this.joined = r));
  }

  admin() {
    const stateLog = () => this.stateLog;
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicOffsets: async () => {
        const partitions = [...new Set(stateLog().map((m) => m.partition))];
        return partitions.map((partition) => {
          const offsets = stateLog().filter((m) => m.partition === partition).map((m) => Number(m.offset));
          // One transaction marker after the last record.
          return { partition, low: '0', high: String(Math.max(...offsets) + 2), offset: String(Math.max(...offsets) + 2) };
        });
      },
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({ topics: topics.map((name) => ({ name, partitions: [{}, {}, {}] })) }),
    };
  }

  producer(config: unknown) {
    this.producerConfigs.push(config);
    return {
      connect: async () => void this.calls.push('producer.connect'),
      disconnect: async () => void this.calls.push('producer.disconnect'),
      transaction: async () => {
        this.calls.push('transaction');
        return {
          send: async ({ topic, messages }: { topic: string; messages: Array<{ key: string }> }) => void this.calls.push(`send ${topic} ${messages.map((m) => m.key).join(',')}`),
          sendOffsets: async (o: { consumerGroupId: string; topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }) =>
            void this.calls.push(`sendOffsets ${o.consumerGroupId} ${o.topics.map((t) => t.partitions.map((p) => `${t.topic}/${p.partition}@${p.offset}`).join()).join()}`),
          commit: async () => {
            if (this.failCommit) {
              const error = this.failCommit;
              this.failCommit = undefined;
              throw error;
            }
            this.calls.push('commit');
          },
          abort: async () => void this.calls.push('abort'),
        };
      },
    };
  }

  consumer(config: { groupId: string; readUncommitted?: boolean }) {
    this.consumerConfigs.push(config);
    const handlers = new Map<string, (event: { payload: Record<string, unknown> }) => void>();
    const isState = config.groupId.startsWith('state-');
    return {
      events: { END_BATCH_PROCESS: 'end', CRASH: 'crash', GROUP_JOIN: 'join' },
      on: (event: string, handler: (event: { payload: Record<string, unknown> }) => void) => void handlers.set(event, handler),
      connect: async () => undefined,
      disconnect: async () => void this.calls.push(`consumer.disconnect ${isState ? 'state' : 'input'}`),
      subscribe: async () => undefined,
      run: async (run: { eachBatch: (payload: EachBatchPayload) => Promise<void> } & Record<string, unknown>) => {
        if (isState) {
          for (const partition of [...new Set(this.stateLog.map((m) => m.partition))]) {
            const messages = this.stateLog.filter((m) => m.partition === partition).map((m) => ({ ...m, key: null, headers: {} }));
            await run.eachBatch({ batch: { topic: 'state', partition, messages } } as unknown as EachBatchPayload);
            // The marker after the last record, reported as consumed.
            const last = Number(messages[messages.length - 1].offset) + 1;
            handlers.get('end')?.({ payload: { partition, lastOffset: String(last) } });
          }
          return;
        }
        this.runConfigs.push(run);
        this.eachBatch = run.eachBatch;
        handlers.get('join')?.({ payload: {} });
        this.joined?.();
      },
    };
  }

  /** Hands a batch of `offsets` on partition 1 of `orders` to the running processor. */
  async deliver(offsets: number[]): Promise<void> {
    const messages = offsets.map((offset) => ({ key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`), headers: {}, offset: String(offset) }));
    await this.eachBatch?.({
      batch: { topic: 'orders', partition: 1, messages, lastOffset: () => String(offsets[offsets.length - 1]) },
      resolveOffset: (offset: string) => void this.resolved.push(offset),
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  }
}

function setup(overrides: Partial<TransactionalProcessorOptions> = {}) {
  const kafka = new FakeKafka();
  const restored: ConsumedMessage[] = [];
  const applied: string[] = [];
  const resets: Array<ReadonlyMap<string, number>> = [];
  const processed: ConsumedBatch[] = [];
  const processor = new TransactionalProcessor({
    brokers: ['127.0.0.1:1'],
    sasl: { username: 'analytics', password: 'unused' },
    clientId: 'analytics',
    groupId: 'analytics',
    transactionalId: 'analytics',
    topics: ['orders'],
    state: { topic: 'windows', groupPrefix: 'state-' },
    reset: (partitions) => void resets.push(partitions),
    restore: (messages) => void restored.push(...messages),
    process: (batch) => {
      processed.push(batch);
      return { records: batch.messages.map((m) => ({ topic: 'windows', key: `w${m.offset}`, value: '{}', headers: {} })), afterCommit: () => void applied.push(batch.messages.map((m) => m.offset).join()) };
    },
    restartDelayMs: 1,
    kafka: kafka as unknown as Pick<Kafka, 'admin' | 'consumer' | 'producer'>,
    ...overrides,
  });
  return { kafka, processor, restored, applied, resets, processed };
}

describe('TransactionalProcessor', () => {
  it('starts the transactional producer first, then reads its state to the end, then consumes read_committed with its group', async () => {
    const { kafka, processor, restored, resets } = setup();
    kafka.stateLog = [
      { partition: 0, offset: '0', value: 'a' },
      { partition: 0, offset: '2', value: 'b' },
      { partition: 2, offset: '5', value: 'c' },
    ];
    processor.start();
    await kafka.inputJoined;
    expect(kafka.calls[0]).toBe('producer.connect');
    expect(kafka.producerConfigs).toEqual([{ transactionalId: 'analytics', idempotent: true, maxInFlightRequests: 1 }]);
    expect(resets).toEqual([new Map([['orders', 3]])]);
    expect(restored.map((m) => m.value)).toEqual(['a', 'b', 'c']);
    expect(kafka.consumerConfigs.map((c) => c.readUncommitted)).toEqual([false, false]);
    expect(kafka.consumerConfigs[0].groupId).toMatch(/^state-[0-9a-f-]{36}$/);
    expect(kafka.consumerConfigs[1].groupId).toBe('analytics');
    expect(kafka.runConfigs[0]).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1 });
    expect(processor.status()).toEqual({ running: true, fenced: false });
    await processor.stop();
  });

  it('sends a batch\'s records and its offsets (the next one to read) in one transaction, then commits, resolves and applies', async () => {
    const { kafka, processor, applied } = setup();
    processor.start();
    await kafka.inputJoined;
    kafka.calls.length = 0;
    await kafka.deliver([7, 8, 9]);
    expect(kafka.calls).toEqual(['transaction', 'send windows w7,w8,w9', 'sendOffsets analytics orders/1@10', 'commit']);
    expect(kafka.resolved).toEqual(['9']);
    expect(applied).toEqual(['7,8,9']);
    await processor.stop();
  });

  it('commits the offsets alone when a batch changes nothing', async () => {
    const { kafka, processor } = setup({ process: () => ({ records: [] }) });
    processor.start();
    await kafka.inputJoined;
    kafka.calls.length = 0;
    await kafka.deliver([3]);
    expect(kafka.calls).toEqual(['transaction', 'sendOffsets analytics orders/1@4', 'commit']);
    await processor.stop();
  });

  it('on a failed commit: aborts, applies nothing, resolves nothing, and starts again from the state topic and the committed offsets', async () => {
    const { kafka, processor, applied, resets } = setup();
    processor.start();
    await kafka.inputJoined;
    kafka.inputJoined = new Promise((r) => (kafka['joined'] = r));
    kafka.calls.length = 0;
    kafka.failCommit = new Error('coordinator went away');
    await kafka.deliver([1]);
    expect(kafka.calls.slice(0, 4)).toEqual(['transaction', 'send windows w1', 'sendOffsets analytics orders/1@2', 'abort']);
    expect(applied).toEqual([]);
    expect(kafka.resolved).toEqual([]);
    expect(processor.status()).toMatchObject({ running: false, problem: 'coordinator went away' });
    // A batch fetched again before the restart is left alone.
    await kafka.deliver([1]);
    expect(kafka.calls.filter((c) => c === 'transaction')).toHaveLength(1);
    // The restart: everything let go, then the producer first again, the state reset and re-read
    // (the state topic is empty here: nothing to read, no consumer for it).
    await kafka.inputJoined;
    expect(kafka.calls.slice(4)).toEqual(['consumer.disconnect input', 'producer.disconnect', 'producer.connect']);
    expect(resets).toHaveLength(2);
    expect(processor.status()).toEqual({ running: true, fenced: false });
    await processor.stop();
  });

  it('stops for good when a newer instance fenced its transactional id', async () => {
    const { kafka, processor } = setup();
    processor.start();
    await kafka.inputJoined;
    kafka.failCommit = Object.assign(new Error('There is a newer producer with the same transactionalId'), { type: 'PRODUCER_FENCED' });
    await kafka.deliver([1]);
    await processor.stop();
    expect(processor.status()).toMatchObject({ running: false, fenced: true });
    expect(kafka.calls.filter((c) => c === 'producer.connect')).toHaveLength(1);
  });
});

describe('isFenced', () => {
  it('finds the broker\'s fencing error types through kafkajs\' wrapping', () => {
    const fenced = Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' });
    expect(isFenced(Object.assign(new Error('retries exhausted'), { originalError: fenced }))).toBe(true);
    expect(isFenced(Object.assign(new Error('x'), { type: 'PRODUCER_FENCED' }))).toBe(true);
    expect(isFenced(Object.assign(new Error('x'), { type: 'NOT_COORDINATOR' }))).toBe(false);
    expect(isFenced('PRODUCER_FENCED')).toBe(false);
  });
});
