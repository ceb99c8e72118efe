import { customerOf, SERVICES, Shop, waitFor } from '@shop/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@shop/testing';
import { orderBody, OrdersApi } from './support/api';

/**
 * Observability of the running shop, checked against the real Jaeger: one trace per order
 * across the five services with unbroken links over every Kafka hop, error status on the
 * failing step, trace ids in the logs, the metrics the alerts and the dashboard rely on, and
 * an order flow that does not care whether Jaeger is up.
 */
const shop = new Shop({
  servicePortBase: 23200,
  infraPorts: {
    PGPORT: 25435,
    KAFKA_PORT: 29392,
    KAFKA_CONTROLLER_PORT: 29393,
    JAEGER_OTLP_GRPC_PORT: 24517,
    JAEGER_OTLP_HTTP_PORT: 24518,
    JAEGER_QUERY_PORT: 26886,
    JAEGER_QUERY_GRPC_PORT: 26885,
    SMTP_PORT: 21225,
    MAILPIT_HTTP_PORT: 28225,
    KEYCLOAK_PORT: 28280,
  },
  // Export spans every 200 ms instead of every 5 s, so the test does not wait for them.
  commonEnv: { OTEL_BSP_SCHEDULE_DELAY: '200' },
  env: {
    order: { ORDER_RATE_LIMIT_PER_MINUTE: '0', ORDER_DEADLINE_TICK_MS: '200', ORDER_STEP_TIMEOUT_MS: '3000', ORDER_COMPENSATION_RETRY_MS: '500' },
    shipping: { SHIPPING_DISPATCH_AFTER_MS: '1500', SHIPPING_DELIVER_AFTER_MS: '1000', SHIPPING_CLOCK_TICK_MS: '200' },
    notification: { NOTIFICATION_POLL_MS: '200' },
  },
});
const api = new OrdersApi(shop);
const placed: string[] = [];

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; spanID: string }>;
  processID: string;
  tags: Array<{ key: string; value: unknown }>;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const service = (t: JaegerTrace, span: JaegerSpan) => t.processes[span.processID].serviceName;

/** Every trace Jaeger holds with a span tagged with this order id. */
async function tracesOf(orderId: string): Promise<JaegerTrace[]> {
  const tags = encodeURIComponent(JSON.stringify({ 'shop.order_id': orderId }));
  const res = await fetch(`${shop.jaegerUrl}/api/traces?service=order&tags=${tags}&lookback=1h&limit=20`);
  if (res.status !== 200) return [];
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

/** Waits until the order's trace holds spans of the given services (and `extra` holds), then returns it. */
async function traceOf(orderId: string, extra: (t: JaegerTrace) => boolean = () => true, services: readonly string[] = SERVICES): Promise<JaegerTrace> {
  let found: JaegerTrace[] = [];
  await waitFor(
    `a trace of order ${orderId} with spans of ${services.join(', ')}`,
    async () => {
      found = await tracesOf(orderId);
      return found.length > 0 && services.every((s) => found[0].spans.some((span) => service(found[0], span) === s)) && extra(found[0]);
    },
    60_000,
    500,
  );
  return found[0];
}

/** The JSON lines a service has written to stdout so far. */
function logLines(name: string): Record<string, unknown>[] {
  return (shop.processes.get(name as never)?.stdout() ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A response header as pino-http logs it (`res.headers`). */
function header(res: unknown, name: string): unknown {
  return (res as { headers?: Record<string, unknown> } | undefined)?.headers?.[name];
}

async function place(body = orderBody()): Promise<string> {
  const id = await api.placeOk(body);
  placed.push(id);
  return id;
}

async function metricsText(name: string): Promise<string> {
  return (await fetch(`${shop.url(name as never)}/metrics`)).text();
}

/** Sum of a metric's samples whose labels contain every `label="value"` given. */
function sum(text: string, metric: string, labels: string[] = []): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `))
    .filter((l) => labels.every((x) => l.includes(x)))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

beforeAll(async () => {
  await shop.start(); // every service ready: order holds the whole catalog
}, 300_000);

afterAll(() => shop.stop(), 120_000);

describe('tracing: one order, one trace, in the real Jaeger', () => {
  let orderId: string;
  let happy: JaegerTrace;

  it('a confirmed order is one trace with spans of all five services, rooted at the HTTP POST, unbroken over every Kafka hop', async () => {
    orderId = await place();
    await api.waitForStatus(orderId, ['CONFIRMED', 'SHIPPED', 'DELIVERED']);
    happy = await traceOf(orderId, (t) => t.spans.some((s) => tag(s, 'messaging.message.type') === 'order.confirmed' && tag(s, 'span.kind') === 'consumer'));
    expect(await tracesOf(orderId)).toHaveLength(1);

    const byId = new Map(happy.spans.map((s) => [s.spanID, s]));
    const roots = happy.spans.filter((s) => s.references.length === 0);
    expect(roots).toHaveLength(1);
    expect(service(happy, roots[0])).toBe('order');
    expect(tag(roots[0], 'span.kind')).toBe('server');
    expect(roots[0].operationName).toMatch(/^POST/);
    expect(String(tag(roots[0], 'http.route'))).toBe('/orders');

    // Every span but the root has its parent in this trace.
    for (const s of happy.spans.filter((x) => x !== roots[0])) expect(byId.has(s.references[0].spanID)).toBe(true);

    // Every consume is the child of the publish of the same message, in another service.
    const consumes = happy.spans.filter((s) => tag(s, 'span.kind') === 'consumer' && tag(s, 'messaging.system') === 'kafka');
    const publishes = happy.spans.filter((s) => tag(s, 'span.kind') === 'producer' && tag(s, 'messaging.system') === 'kafka');
    for (const c of consumes) {
      const parent = byId.get(c.references[0].spanID) as JaegerSpan;
      expect(tag(parent, 'span.kind')).toBe('producer');
      expect(tag(parent, 'messaging.message.id')).toBe(tag(c, 'messaging.message.id'));
    }
    const hops = (type: string) => consumes.filter((c) => tag(c, 'messaging.message.type') === type).map((c) => service(happy, c));
    expect(hops('inventory.reserve-stock')).toEqual(['inventory']);
    expect(hops('inventory.stock-reserved')).toEqual(['order']);
    expect(hops('payment.charge-payment')).toEqual(['payment']);
    expect(hops('payment.charged')).toEqual(['order']);
    expect(hops('shipping.schedule-shipment')).toEqual(['shipping']);
    expect(hops('shipping.shipment-scheduled')).toEqual(['order']);
    expect(hops('order.confirmed')).toEqual(['notification']);
    // ... and the outbox publishes carry the saga's attributes.
    for (const p of publishes.filter((x) => tag(x, 'messaging.message.type') !== 'inventory.product-catalog-updated')) {
      expect(tag(p, 'shop.order_id')).toBe(orderId);
      expect(tag(p, 'shop.correlation_id')).toBe(orderId);
    }
  });

  it('the later dispatch and delivery, on the shipping clock, continue the same trace', async () => {
    await api.waitForStatus(orderId, ['DELIVERED'], 30_000);
    const t = await traceOf(orderId, (x) => x.spans.some((s) => tag(s, 'messaging.message.type') === 'order.delivered' && tag(s, 'span.kind') === 'consumer'));
    expect(t.traceID).toBe(happy.traceID);
    expect(t.spans.filter((s) => tag(s, 'span.kind') === 'consumer').map((s) => tag(s, 'messaging.message.type'))).toEqual(
      expect.arrayContaining(['shipping.shipment-dispatched', 'shipping.shipment-delivered', 'order.shipped', 'order.delivered']),
    );
  });

  it("the order's emails are sent inside its trace, each send the child of notification's handling of the event", async () => {
    const isSend = (kind: string) => (s: JaegerSpan) => s.operationName === 'notification send' && tag(s, 'shop.notification_kind') === kind;
    const t = await traceOf(orderId, (x) => ['ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'].every((k) => x.spans.some(isSend(k))));
    expect(t.traceID).toBe(happy.traceID);
    for (const [kind, event] of [['ORDER_CONFIRMED', 'order.confirmed'], ['ORDER_SHIPPED', 'order.shipped'], ['ORDER_DELIVERED', 'order.delivered']]) {
      const send = t.spans.find(isSend(kind)) as JaegerSpan;
      expect(service(t, send)).toBe('notification');
      expect(tag(send, 'shop.order_id')).toBe(orderId);
      expect(tag(send, 'otel.status_code')).toBeUndefined();
      const parent = t.spans.find((s) => s.spanID === send.references[0]?.spanID) as JaegerSpan;
      expect([service(t, parent), tag(parent, 'span.kind'), tag(parent, 'messaging.message.type')]).toEqual(['notification', 'consumer', event]);
    }
  });

  it("no span of the order's whole trace (emails sent included) carries the customer's email, name or street", async () => {
    const t = await traceOf(orderId, (x) => x.spans.filter((sp) => sp.operationName === 'notification send').length >= 3);
    const whole = JSON.stringify(t);
    expect(whole).toContain(orderId); // attributes are in what is searched
    const alice = customerOf('alice');
    for (const personal of [alice.email, alice.name, orderBody().shippingAddress.street]) expect(whole).not.toContain(personal);
  });

  it("a rejected order's trace shows the compensation, and the failing step's spans carry error status", async () => {
    const id = await place(orderBody({ paymentMethod: 'card_declined' }));
    await api.waitForStatus(id, ['REJECTED']);
    // A declined order never reaches shipping: four services take part.
    const t = await traceOf(
      id,
      (x) => x.spans.some((s) => tag(s, 'messaging.message.type') === 'order.rejected' && tag(s, 'span.kind') === 'consumer'),
      ['order', 'inventory', 'payment', 'notification'],
    );
    expect(await tracesOf(id)).toHaveLength(1);
    const consumer = (type: string, svc: string) =>
      t.spans.find((s) => tag(s, 'span.kind') === 'consumer' && tag(s, 'messaging.message.type') === type && service(t, s) === svc) as JaegerSpan;
    // The compensation: ReleaseStock published by order, handled by inventory, confirmed back.
    expect(consumer('inventory.release-stock', 'inventory')).toBeDefined();
    expect(consumer('inventory.stock-released', 'order')).toBeDefined();
    // The failing step: payment's handling of the charge, and order's handling of the decline.
    for (const failing of [consumer('payment.charge-payment', 'payment'), consumer('payment.declined', 'order')]) {
      expect(tag(failing, 'otel.status_code')).toBe('ERROR');
      expect(tag(failing, 'error')).toBe(true);
    }
    expect(tag(consumer('inventory.reserve-stock', 'inventory'), 'otel.status_code')).toBeUndefined();
  });

  it('compensations started by a deadline stay in the order\'s trace', async () => {
    await shop.setFaults('inventory', { delayMs: 4500 });
    try {
      const id = await place(orderBody({ lines: [{ sku: 'TSHIRT-BLUE-M', quantity: 1 }] }));
      await api.waitForStatus(id, ['COMPENSATING'], 15_000);
      await shop.setFaults('inventory', { delayMs: 0 });
      await api.waitForStatus(id, ['REJECTED'], 30_000);
      const t = await traceOf(
        id,
        (x) => x.spans.some((s) => tag(s, 'messaging.message.type') === 'inventory.release-stock' && tag(s, 'span.kind') === 'consumer'),
        ['order', 'inventory', 'notification'],
      );
      expect(await tracesOf(id)).toHaveLength(1);
      const deadline = t.spans.find((s) => s.operationName === 'order deadline');
      expect(deadline).toBeDefined();
      expect(t.spans.find((s) => s.spanID === deadline?.references[0]?.spanID)).toBeDefined();
    } finally {
      await shop.setFaults('inventory', { delayMs: 0 });
    }
  }, 60_000);

  it('a log line written while inventory handles the order carries the same trace id, the correlation id and the order id', async () => {
    const lines = logLines('inventory');
    const line = lines.find((l) => l['msg'] === `stock reserved for order ${orderId}`);
    expect(line).toMatchObject({ trace_id: happy.traceID, orderId, correlationId: orderId, messageType: 'inventory.reserve-stock' });
    expect(String(line?.['span_id'])).toMatch(/^[0-9a-f]{16}$/);
  });

  it("the order API's request log lines carry the order id once the handler knows it", async () => {
    await api.get(orderId);
    const completed = logLines('order').filter((l) => l['msg'] === 'request completed');
    const post = completed.find((l) => header(l['res'], 'location') === `/orders/${orderId}`);
    expect(post).toMatchObject({ orderId, req: { method: 'POST', url: '/orders' } });
    expect(post?.['correlationId']).toEqual(expect.any(String));
    const get = completed.find((l) => (l['req'] as { url?: string } | undefined)?.url === `/orders/${orderId}`);
    expect(get).toMatchObject({ orderId, req: { method: 'GET' } });
  });
});

describe('metrics', () => {
  it('every service counts handled messages, and order counts one saga outcome per order placed', async () => {
    await Promise.all(placed.map((id) => api.waitForStatus(id, ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'REJECTED'])));
    for (const name of SERVICES) {
      expect(sum(await metricsText(name), 'shop_messages_handled_total', ['outcome="handled"'])).toBeGreaterThan(0);
    }
    const order = await metricsText('order');
    await waitFor('saga outcomes to be counted', async () => sum(await metricsText('order'), 'shop_saga_completed_total') === placed.length, 10_000);
    expect(sum(order, 'shop_saga_started_total')).toBe(placed.length);
    expect(sum(await metricsText('order'), 'shop_saga_completed_total')).toBe(placed.length);
    expect(sum(order, 'shop_saga_duration_seconds_count', ['outcome="CONFIRMED"'])).toBeGreaterThan(0);
    expect(sum(order, 'shop_http_request_duration_seconds_count', ['route="/orders"', 'method="POST"', 'status_code="202"'])).toBe(placed.length);
    // Every order has settled: on each topic of the steps it orchestrates, order's group has a lag
    // sample per partition, and every one is 0 (all read and committed).
    const lagSamples = (text: string, topic: string) =>
      text.split('\n').filter((l) => l.startsWith('shop_consumer_lag{') && l.includes('group="order"') && l.includes(`topic="${topic}"`));
    await waitFor("order's consumer lag, reported for inventory.events, payment.events and shipping.events, to reach 0", async () => {
      const text = await metricsText('order');
      return ['inventory.events', 'payment.events', 'shipping.events'].every((topic) => {
        const samples = lagSamples(text, topic);
        return samples.length > 0 && samples.every((l) => l.endsWith(' 0'));
      });
    }, 15_000);
  });

  describe('the alert rules and the dashboard', () => {
    const alerts = join(repoRoot, 'observability/prometheus/alerts.yml');
    const dashboard = join(repoRoot, 'observability/grafana/dashboards/shop-overview.json');
    const promtool = join(process.env['SHOP_CACHE_DIR'] ?? join(homedir(), '.cache/shop-platform'), 'bin/promtool');

    it('pass promtool, which rejects a broken copy with the position of the error', () => {
      // Every rule the file holds, as promtool counts them: none skipped, none broken.
      const rules = (readFileSync(alerts, 'utf8').match(/^ {6}- alert: /gm) ?? []).length;
      expect(rules).toBeGreaterThan(0);
      expect(execFileSync(promtool, ['check', 'rules', alerts], { encoding: 'utf8' })).toContain(`SUCCESS: ${rules} rules found`);
      const dir = mkdtempSync(join(tmpdir(), 'alerts-'));
      try {
        const broken = join(dir, 'alerts.yml');
        writeFileSync(broken, readFileSync(alerts, 'utf8').replace('max by (group, topic) (shop_consumer_lag) > 1000', 'max by (group, topic) (shop_consumer_lag > 1000'));
        const run = spawnSync(promtool, ['check', 'rules', broken], { encoding: 'utf8' });
        expect(run.status).not.toBe(0);
        expect(run.stdout + run.stderr).toMatch(/parse error|unclosed/i);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    // A labelled metric nothing has touched yet (no DLQ message so far) is declared by its
    // `# TYPE` line but has no samples; a histogram is named by its _bucket/_sum/_count series.
    it('name only metrics the running services export', async () => {
      const exported = (await Promise.all(SERVICES.map(metricsText))).join('\n');
      const panels = (JSON.parse(readFileSync(dashboard, 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> }).panels;
      const exprs = [readFileSync(alerts, 'utf8'), ...panels.flatMap((p) => p.targets.map((t) => t.expr))].join('\n');
      const names = [...new Set(exprs.match(/\bshop_[a-z_]+\b/g) ?? [])];
      expect(names.length).toBeGreaterThanOrEqual(12);
      const declared = (n: string) => new RegExp(`^# TYPE ${n.replace(/_(bucket|sum|count)$/, '')} `, 'm').test(exported);
      const missing = names.filter((n) => !declared(n));
      expect(missing).toEqual([]);
    });
  });
});

describe('Jaeger down', () => {
  /** Places orders one after another; returns each one's time from POST to CONFIRMED (ms). */
  async function confirmTimes(n: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const id = await place(orderBody({ lines: [{ sku: 'STICKER-PACK', quantity: 1 }] }));
      await waitFor(`order ${id} confirmed`, async () => ['CONFIRMED', 'SHIPPED', 'DELIVERED'].includes((await api.get(id)).status), 30_000, 10);
      times.push(performance.now() - started);
    }
    return times;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('does not slow or break the order flow', async () => {
    const up = await confirmTimes(9);
    await shop.stopComponent('jaeger');
    const down = await confirmTimes(9);
    process.stdout.write(
      `order placed -> CONFIRMED, 9 orders each: Jaeger up median ${median(up).toFixed(0)} ms, Jaeger down median ${median(down).toFixed(0)} ms\n`,
    );
    expect(down).toHaveLength(9);
    // Generous bound on a noisy 2-core machine: an exporter that blocked would add seconds.
    expect(median(down)).toBeLessThan(median(up) * 2 + 250);
    for (const name of SERVICES) expect((await fetch(`${shop.url(name)}/health/ready`)).status).toBe(200);
  }, 180_000);
});
