import { HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import type { ConsumerStatus, MessagingTransport } from '../transport/messaging-transport';
import { KafkaHealthIndicator } from './kafka-health.indicator';

/** checkConsumer's decisions, with the transport and Kafka's offsets played by fakes. */
describe('KafkaHealthIndicator.checkConsumer', () => {
  const catalogConsumer: ConsumerStatus = {
    group: 'order',
    handles: ['inventory.product-catalog-updated@1', 'inventory.stock-reserved@1'],
    topics: ['inventory.catalog', 'inventory.events'],
    stateTopics: ['inventory.catalog'],
    joined: true,
  };
  let status: ConsumerStatus | null;
  let offsets: { committed: number; end: number };

  const admin = {
    fetchOffsets: async () => [{ topic: 'inventory.catalog', partitions: [{ partition: 0, offset: String(offsets.committed) }] }],
    fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: String(offsets.end), offset: String(offsets.end) }],
  } as unknown as Admin;

  function indicator(): KafkaHealthIndicator {
    const transport = { consumerStatus: () => status } as unknown as MessagingTransport;
    const health = new KafkaHealthIndicator({ service: 'order', brokers: ['127.0.0.1:1'], sasl: { username: 'order', password: 'unused' } }, new HealthIndicatorService(), transport);
    (health as unknown as { admin: Promise<Admin> }).admin = Promise.resolve(admin);
    return health;
  }

  beforeEach(() => {
    status = { ...catalogConsumer };
    offsets = { committed: 7, end: 7 };
  });

  it('is up with no handlers when the service consumes nothing', async () => {
    status = null;
    expect(await indicator().checkConsumer('messaging')).toEqual({ messaging: { status: 'up', handles: [] } });
  });

  it('is down until the consumer has joined its group, naming the group', async () => {
    status = { ...catalogConsumer, joined: false };
    expect(await indicator().checkConsumer('messaging')).toMatchObject({
      messaging: { status: 'down', group: 'order', message: 'consumer order has not joined its group yet' },
    });
  });

  it('is down while the compacted topic it copies is empty: no copy yet', async () => {
    offsets = { committed: -1, end: 0 };
    expect(await indicator().checkConsumer('messaging')).toMatchObject({
      messaging: { status: 'down', message: 'waiting for inventory.catalog: nothing published there yet' },
    });
  });

  it('is down while messages of the compacted topic are not applied yet', async () => {
    offsets = { committed: 3, end: 7 };
    expect(await indicator().checkConsumer('messaging')).toMatchObject({
      messaging: { status: 'down', message: 'catching up on inventory.catalog: 4 message(s) to apply' },
    });
  });

  it('is up once caught up, listing what it handles, and a later lag under load does not take it down', async () => {
    const health = indicator();
    expect(await health.checkConsumer('messaging')).toEqual({
      messaging: { status: 'up', group: 'order', handles: catalogConsumer.handles, topics: catalogConsumer.topics },
    });
    offsets = { committed: 7, end: 12 };
    expect(await health.checkConsumer('messaging')).toMatchObject({ messaging: { status: 'up' } });
  });

  it('is down again when the consumer leaves its group (crash, stop), even after catching up', async () => {
    const health = indicator();
    expect(await health.checkConsumer('messaging')).toMatchObject({ messaging: { status: 'up' } });
    status = { ...catalogConsumer, joined: false };
    expect(await health.checkConsumer('messaging')).toMatchObject({ messaging: { status: 'down' } });
  });
});

describe('KafkaHealthIndicator.reachable', () => {
  it('says false within the check timeout even when the failed admin never finishes disconnecting (kafkajs#918)', async () => {
    const stuck = {
      describeCluster: async () => {
        throw new Error('Connection error: connect ECONNREFUSED');
      },
      disconnect: () => new Promise<void>(() => undefined), // waits for a request in flight that never ends
    } as unknown as Admin;
    const transport = { consumerStatus: () => null } as unknown as MessagingTransport;
    const health = new KafkaHealthIndicator({ service: 'order', brokers: ['127.0.0.1:1'], sasl: { username: 'order', password: 'unused' } }, new HealthIndicatorService(), transport);
    (health as unknown as { admin: Promise<Admin> }).admin = Promise.resolve(stuck);
    const started = Date.now();
    expect(await health.reachable()).toBe(false);
    expect(Date.now() - started).toBeLessThan(4000);
    // And the next probe is not queued behind the stuck disconnect.
    (health as unknown as { admin: Promise<Admin> }).admin = Promise.resolve(stuck);
    expect(await health.reachable()).toBe(false);
  }, 15_000);
});
