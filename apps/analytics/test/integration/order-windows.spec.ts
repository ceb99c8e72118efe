import { OrderConfirmedV2, OrderRejectedV1, OrderWindowUpdatedV1 } from '@shop/contracts';
import { createEnvelope, encodeEnvelope, ensureTopics, kafkaClient, kafkajsLogCreator, readToEnd } from '@shop/messaging';
import { httpGet, infra, produceRaw, startServiceProcess, waitFor, type RawMessage, type ServiceProcess } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { OrderWindowsProcessor } from '../../src/windows/application/order-windows.processor';
import { readWindowRecord } from '../../src/windows/application/window-records';
import type { OrderWindow } from '../../src/windows/domain/order-windows';

/**
 * The built service against the real Kafka, as its own principal: out-of-order and late events,
 * kill -9 under load, and a replay from the start. Its results are read where they are committed,
 * the compacted topic analytics.order-windows (read_committed).
 *
 * The order events carry event times of about an hour ago, after anything on the topic so far (a
 * minute after the highest stream time in analytics.order-windows): stream time only moves forward
 * on each partition, so an earlier run cannot make these late or mix with their windows. In the past,
 * not the future: a shop that later reuses this Kafka (npm test, then npm run shop) must not find
 * its partitions' stream time ahead of its own orders, which would all be too late. Each run moves
 * event time by about ten minutes; only order publishes these types, and no other suite runs it
 * against this Kafka.
 */
const PORT = 20305; // below the ephemeral port range (32768-60999), so no outgoing connection holds it
const GRACE_MS = 30_000;
const MINUTE = 60_000;
const ERROR = 1; // kafkajs logLevel.ERROR

const admin = kafkaClient(infra.kafka, { clientId: 'analytics-test', logLevel: ERROR, logCreator: kafkajsLogCreator });
let analytics: ServiceProcess;
let partitions: number;
const ranges: Array<{ from: number; to: number }> = [];

function startAnalytics(): ServiceProcess {
  return startServiceProcess('analytics', {
    PORT: String(PORT),
    ...infra.kafkaEnv('analytics'),
    OIDC_ISSUER: infra.oidcIssuer(),
    OTEL_SDK_DISABLED: 'true',
    ANALYTICS_GRACE_MS: String(GRACE_MS),
  });
}

/** The latest committed record of each window on a topic, by window start. */
async function committedWindows(topic: string = OrderWindowUpdatedV1.topic): Promise<{ windows: Map<number, OrderWindow>; highestStreamTime: number }> {
  const windows = new Map<number, OrderWindow>();
  let highestStreamTime = 0;
  await readToEnd(admin, {
    topic,
    groupPrefix: 'analytics-test-',
    apply: (messages) => {
      for (const message of messages) {
        const { window, streamTimes } = readWindowRecord(message);
        windows.set(window.start, window);
        for (const time of streamTimes.values()) highestStreamTime = Math.max(highestStreamTime, time);
      }
    },
  });
  return { windows, highestStreamTime };
}

const inRange = (windows: Iterable<OrderWindow>, from: number, to: number) => [...windows].filter((w) => w.start >= from && w.start < to).sort((a, b) => a.start - b.start);

/** The next minute after every stream time seen so far, and at least an hour ago. */
async function freshBase(): Promise<number> {
  const { highestStreamTime } = await committedWindows();
  return Math.ceil((Math.max(highestStreamTime + 1, Date.now() - 60 * MINUTE) + 1) / MINUTE) * MINUTE;
}

function confirmed(partition: number, at: number, amountCents: number, currency = 'EUR'): RawMessage {
  const record = encodeEnvelope(
    createEnvelope(
      OrderConfirmedV2,
      {
        orderId: randomUUID(),
        customer: { id: 'analytics-test', email: 'analytics-test@example.test', name: 'Analytics Test' },
        total: { amountCents, currency },
        lines: [{ sku: 'MUG-LOGO', quantity: 1, unitPriceCents: amountCents }],
        confirmedAt: new Date(at).toISOString(),
      },
      'order',
    ),
  );
  return { partition, key: record.key, value: record.value, headers: record.headers };
}

function rejected(partition: number, at: number, reason: string): RawMessage {
  const orderId = randomUUID();
  const envelope = { ...createEnvelope(OrderRejectedV1, { orderId, customerId: 'analytics-test', customerEmail: 'analytics-test@example.test', customerName: 'Analytics Test', reason }, 'order'), time: new Date(at).toISOString() };
  const record = encodeEnvelope(envelope);
  return { partition, key: record.key, value: record.value, headers: record.headers };
}

/** One event at `at` on every partition: moves every partition's stream time there. */
const everyPartition = (at: number) => Array.from({ length: partitions }, (_, p) => confirmed(p, at, 0));

async function metric(name: string): Promise<number> {
  const { text } = await httpGet(`${analytics.url}/metrics`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

beforeAll(async () => {
  const metadataAdmin = admin.admin();
  await metadataAdmin.connect();
  try {
    const { topics } = await metadataAdmin.fetchTopicMetadata({ topics: [OrderConfirmedV2.topic] });
    partitions = topics[0].partitions.length;
  } finally {
    await metadataAdmin.disconnect();
  }
  analytics = startAnalytics();
  await analytics.waitUntilReady(90_000);
}, 120_000);

afterAll(async () => {
  await analytics?.stop();
});

describe('analytics: the service', () => {
  it('is ready once its windows are restored and its consumer joined; its API wants a token; /metrics counts its work', async () => {
    expect((await httpGet(`${analytics.url}/health/ready`)).body).toEqual({ status: 'ok' });
    const api = await httpGet(`${analytics.url}/analytics/revenue-per-minute`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await httpGet(`${analytics.url}/metrics`)).text).toMatch(/^shop_analytics_open_windows\{service="analytics"\} \d+$/m);
  });
});

describe('analytics: windows by event time', () => {
  it('puts out-of-order events in their window within the grace period and counts later ones as too late; a window is final once every partition passed it', async () => {
    const base = await freshBase();
    const s = (seconds: number) => base + seconds * 1000;
    ranges.push({ from: base, to: base + 2 * MINUTE });
    await produceRaw(infra.kafkaBrokers, OrderConfirmedV2.topic, [
      confirmed(0, s(10), 100),
      confirmed(0, s(70), 200),
      confirmed(0, s(50), 300), // out of order, inside the grace: partition 0's stream time is s(70) < s(60) + 30 s
      rejected(1 % partitions, s(30), 'OUT_OF_STOCK: MUG-LOGO'),
      rejected(1 % partitions, s(45), 'CARD_DECLINED'),
      confirmed(0, s(95), 1), // partition 0 passes the first window's end + grace
      confirmed(0, s(20), 400), // too late on partition 0
      ...everyPartition(s(100)),
      rejected(1 % partitions, s(5), 'CARD_DECLINED'), // too late on partition 1 too
    ]);

    await waitFor('the first window to be final', async () => (await committedWindows()).windows.get(base)?.final === true, 60_000, 500);
    const { windows } = await committedWindows();
    const [first, second] = inRange(windows.values(), base, base + 2 * MINUTE);
    expect(first).toEqual({ start: base, end: base + MINUTE, revenue: { EUR: 400 }, confirmed: 2, rejected: { CARD_DECLINED: 1, OUT_OF_STOCK: 1 }, tooLate: 2, final: true });
    expect(second).toEqual({ start: base + MINUTE, end: base + 2 * MINUTE, revenue: { EUR: 201 }, confirmed: 2 + partitions, rejected: {}, tooLate: 0, final: false });
  }, 90_000);
});

describe('analytics: exactly once through a crash', () => {
  it('kill -9 mid-window under a steady stream of confirmations: after the restart the final windows hold exactly the revenue sent, nothing dropped, nothing doubled', async () => {
    const base = await freshBase();
    const span = 5 * MINUTE;
    ranges.push({ from: base, to: base + span });
    const total = 900;
    const chunk = 30;
    // Event times move forward through five windows, each up to 10 s out of order (inside the grace: none too late).
    const events = Array.from({ length: total }, (_, i) => {
      const at = Math.max(base, base + Math.floor((i * span) / total) - ((i * 7919) % 10_000));
      const currency = i % 4 === 0 ? 'USD' : 'EUR';
      return { partition: i % partitions, at, amountCents: 1 + ((i * 104_729) % 5000), currency };
    });
    const expected = { EUR: 0, USD: 0 } as Record<string, number>;
    for (const e of events) expected[e.currency] += e.amountCents;

    const transactionsBefore = await metric('shop_analytics_transactions_total');
    let killedAt = -1;
    for (let sent = 0; sent < total; sent += chunk) {
      await produceRaw(infra.kafkaBrokers, OrderConfirmedV2.topic, events.slice(sent, sent + chunk).map((e) => confirmed(e.partition, e.at, e.amountCents, e.currency)));
      if (killedAt < 0 && sent >= total / 3) {
        // It is working through this stream (transactions committed since it began), its windows still open: kill it.
        await waitFor('analytics to commit some of the stream', async () => (await metric('shop_analytics_transactions_total')) > transactionsBefore, 30_000, 100);
        analytics.child.kill('SIGKILL');
        expect(await analytics.exited).toBe('SIGKILL');
        killedAt = sent;
        // Mid-window: part of the stream committed, its latest window still open.
        const atKill = inRange((await committedWindows()).windows.values(), base, base + span);
        expect(atKill.some((w) => !w.final)).toBe(true);
        const counted = atKill.reduce((n, w) => n + w.confirmed, 0);
        expect(counted).toBeGreaterThan(0);
        expect(counted).toBeLessThan(total);
      }
      if (sent === Math.floor((2 * total) / 3 / chunk) * chunk) {
        analytics = startAnalytics();
        await analytics.waitUntilReady(90_000);
      }
    }
    expect(killedAt).toBeGreaterThan(0);
    // Every partition past the last window's end and the grace: all five final.
    await produceRaw(infra.kafkaBrokers, OrderConfirmedV2.topic, everyPartition(base + span + GRACE_MS + MINUTE));

    await waitFor('every window of the stream to be final', async () => {
      const got = inRange((await committedWindows()).windows.values(), base, base + span);
      return got.length === 5 && got.every((w) => w.final);
    }, 90_000, 500);
    const got = inRange((await committedWindows()).windows.values(), base, base + span);
    const sum = (currency: string) => got.reduce((s, w) => s + (w.revenue[currency] ?? 0), 0);
    expect({ EUR: sum('EUR'), USD: sum('USD') }).toEqual(expected);
    expect(got.reduce((s, w) => s + w.confirmed, 0)).toBe(total);
    expect(got.reduce((s, w) => s + w.tooLate, 0)).toBe(0);
  }, 240_000);
});

describe('analytics: replay', () => {
  it('a fresh consumer group replaying order.events from the start makes the same windows', async () => {
    const id = randomUUID();
    const outputTopic = `analytics-replay-${id}`;
    await ensureTopics(infra.kafka, [{ topic: outputTopic, compacted: true }]);
    const replay = new OrderWindowsProcessor(
      { kafka: infra.kafka, graceMs: GRACE_MS, groupId: `analytics-replay-${id}`, transactionalId: `analytics-replay-${id}`, restoreGroupPrefix: 'analytics-replay-state-', outputTopic },
      new Registry(),
    );
    replay.onApplicationBootstrap();
    try {
      const { windows: live } = await committedWindows();
      const expected = ranges.flatMap(({ from, to }) => inRange(live.values(), from, to));
      expect(expected.length).toBe(7);
      await waitFor('the replay to reach the same windows', async () => ranges.flatMap(({ from, to }) => replay.between(from, to)).filter((w) => w.final).length === expected.filter((w) => w.final).length, 90_000, 500);
      expect(ranges.flatMap(({ from, to }) => replay.between(from, to))).toEqual(expected);
      // What it committed to its own topic is what it holds.
      const { windows: replayed } = await committedWindows(outputTopic);
      expect(ranges.flatMap(({ from, to }) => inRange(replayed.values(), from, to))).toEqual(expected);
    } finally {
      await replay.onApplicationShutdown();
    }
  }, 120_000);
});
