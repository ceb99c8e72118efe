import { Headers, ChargePaymentV1, ScheduleShipmentV1 } from '@shop/contracts';
import { infra, OPS_CLIENT, produceRaw, repoRoot, Shop, startServiceProcess, subjectOf, waitFor, type ServiceProcess } from '@shop/testing';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { orderBody, OrdersApi, type Answer, type OrderView } from './support/api';

/**
 * The ops console's Messaging and Health views and its slow-participant and cancel test orders, in
 * Debian's Chromium against a private shop (as console.spec.ts): the admin signs in and sees the
 * five services' messaging figures; a poison message produced by the test appears among the dead
 * letters with its error; a charge dead-lettered while payment's fault switch failed every
 * command is replayed from the page after the switch is off, and its order is then CONFIRMED;
 * Health shows every service and piece of infrastructure up; Inventory lists the products with
 * their stock and receives a delivery from its form; Analytics charts the revenue and orders per
 * minute the analytics service counted, growing as orders come in.
 */
const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';
const CONSOLE_PORT = 23810;
const KAFKA_PORT = 29592;

const shop = new Shop({
  servicePortBase: 23800,
  infraPorts: {
    PGPORT: 25463,
    KAFKA_PORT,
    KAFKA_CONTROLLER_PORT: 29593,
    JAEGER_OTLP_GRPC_PORT: 25117,
    JAEGER_OTLP_HTTP_PORT: 25118,
    JAEGER_QUERY_PORT: 27196,
    JAEGER_QUERY_GRPC_PORT: 27195,
    SMTP_PORT: 22025,
    MAILPIT_HTTP_PORT: 28425,
    KEYCLOAK_PORT: 28480,
  },
  env: {
    // A charge dead-lettered on purpose leaves its order waiting for the replay, not compensated at the deadline.
    order: { ORDER_STEP_TIMEOUT_MS: '600000' },
    shipping: { SHIPPING_DISPATCH_AFTER_MS: '600000' },
  },
});
const api = new OrdersApi(shop);
/** The order API as an admin (the ops client): every customer's orders. */
const admin = api.as(OPS_CLIENT);
const consoleUrl = `http://127.0.0.1:${CONSOLE_PORT}`;

let consoleApp: ServiceProcess | undefined;
let browser: Browser | undefined;
let page: Page;

/** The shop's analytics process (Shop.start starts it with the five services). */
function analyticsProcess(): ServiceProcess {
  if (!shop.analytics) throw new Error('the shop runs no analytics');
  return shop.analytics;
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/infra/provision.sh', 'chromium'], { cwd: repoRoot, stdio: 'inherit' });
  await shop.start();
  consoleApp = startServiceProcess('console', {
    PORT: String(CONSOLE_PORT),
    ORDER_API_URL: shop.url('order'),
    INVENTORY_URL: shop.url('inventory'),
    PAYMENT_URL: shop.url('payment'),
    SHIPPING_URL: shop.url('shipping'),
    NOTIFICATION_URL: shop.url('notification'),
    ANALYTICS_URL: analyticsProcess().url,
    JAEGER_QUERY_URL: shop.jaegerUrl,
    MAILPIT_URL: shop.mailpitUrl,
    OIDC_ISSUER: shop.tokens.issuer,
    // The console's own principal: it may read the DLQs and write the topics they came from.
    ...infra.kafkaEnv('console', KAFKA_PORT),
  });
  await consoleApp.waitUntilReady(60_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage();
  await page.goto(`${consoleUrl}/`);
  await page.waitForURL((url) => url.port === String(shop.tokens.keycloakPort), { timeout: 30_000 });
  await page.locator('#username').fill('shop-admin');
  await page.locator('#password').fill('shop-admin-local');
  await page.locator('#kc-login').click();
  await page.getByTestId('signed-in-user').filter({ hasText: 'shop-admin' }).waitFor({ timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await consoleApp?.stop();
  await shop.stop();
}, 120_000);

/** With CONSOLE_SCREENSHOT_DIR set (docs/ holds the console README's), the page as the test sees it. */
async function screenshot(name: string): Promise<void> {
  const dir = process.env['CONSOLE_SCREENSHOT_DIR'];
  if (dir) await page.screenshot({ path: resolve(repoRoot, dir, name), fullPage: true });
}

/** Payment's fault switch as the service reports it (GET /admin/faults). */
async function paymentFaults(): Promise<{ delayMs: number; failureRate: number }> {
  const res = await fetch(`${shop.url('payment')}/admin/faults`, { headers: await shop.tokens.header(OPS_CLIENT) });
  return (await res.json()) as { delayMs: number; failureRate: number };
}

/** The minute (its start, ISO) an ISO time falls in: analytics' one-minute windows. */
const minuteOf = (at: string): string => new Date(Math.floor(Date.parse(at) / 60_000) * 60_000).toISOString();

/** Money as the console writes it (format.ts). */
const euros = (cents: number): string => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(cents / 100);

interface MinuteFigures {
  cents: number;
  confirmed: number;
}

/**
 * What analytics should count per minute, from the order API: every order of the shop (this
 * spec's other tests' too) by the minute of its OrderConfirmed event, whose time is the
 * order.confirmed v2 event's confirmedAt, which analytics windows by.
 */
async function confirmedPerMinute(): Promise<Map<string, MinuteFigures>> {
  const minutes = new Map<string, MinuteFigures>();
  let cursor: string | null = null;
  do {
    const answer: Answer<{ items: OrderView[]; nextCursor: string | null }> = await admin.request('GET', `/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (answer.status !== 200) throw new Error(`GET /orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    for (const order of answer.body.items) {
      const confirmation = order.timeline.find((e) => e.event === 'OrderConfirmed');
      if (!confirmation) continue;
      if (order.currency !== 'EUR') throw new Error(`order ${order.id} is in ${order.currency}: this test reads the EUR chart only`);
      const minute = minuteOf(confirmation.at);
      const figures = minutes.get(minute) ?? { cents: 0, confirmed: 0 };
      minutes.set(minute, { cents: figures.cents + order.totalCents, confirmed: figures.confirmed + 1 });
    }
    cursor = answer.body.nextCursor;
  } while (cursor);
  return minutes;
}

/** The title (tooltip) of the EUR revenue chart's bar for `minute`, or null while the chart does not show it. */
async function revenueBarTitle(minute: string): Promise<string | null> {
  const bar = page.locator(`[data-testid="revenue-chart"][data-currency="EUR"] [data-testid="revenue-bar"][data-start="${minute}"]`);
  return (await bar.count()) === 1 ? bar.locator('title').textContent() : null;
}

/** Waits until the chart's bar for `minute` shows what the order API says was confirmed in it (without touching the page: it polls by itself); answers those figures. */
async function waitForRevenueBar(minute: string): Promise<MinuteFigures> {
  let expected: MinuteFigures = { cents: 0, confirmed: 0 };
  let shown: string | null = null;
  try {
    await waitFor(
      `the Analytics chart's bar of ${minute} to show the order API's figures`,
      async () => {
        expected = (await confirmedPerMinute()).get(minute) ?? expected;
        shown = await revenueBarTitle(minute);
        return shown?.includes(`: ${euros(expected.cents)} revenue, ${expected.confirmed} confirmed,`) ?? false;
      },
      30_000,
      500,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; expected ${JSON.stringify(expected)}, the bar says ${JSON.stringify(shown)}`);
  }
  return expected;
}

describe('the ops console: messaging, dead letters, health, inventory, slow and cancelled test orders, analytics', () => {
  it("shows the five services' outbox, lag and message counts on Messaging", async () => {
    await api.placeOk(orderBody());
    await page.getByRole('link', { name: 'Messaging' }).click();
    await page.getByRole('heading', { name: 'Messaging' }).waitFor();
    const rows = page.getByTestId('messaging-services').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-service')))).toEqual(['order', 'inventory', 'payment', 'shipping', 'notification']);
    // Each was read (no "/metrics unreadable"), Kafka reachable; the order placed above was handled by payment, once.
    for (const service of ['order', 'inventory', 'payment', 'shipping', 'notification']) {
      await page.locator(`tr[data-service="${service}"] [data-testid="kafka-reachable"]`, { hasText: /^reachable$/ }).waitFor();
    }
    await page
      .locator('tr[data-service="payment"] [data-testid="handled-total"]')
      .filter({ hasText: /^[1-9]\d*$/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('tr[data-service="payment"]').innerText()).not.toContain('unreadable');
    // The consumer lag of each group and partition, order's group among them.
    await page.getByTestId('consumer-lag').locator('tbody tr', { hasText: 'payment.events' }).first().waitFor();
  });

  it('lists a poison message among the dead letters, with where it came from and why it failed', async () => {
    const id = randomUUID();
    await produceRaw(shop.kafkaBrokers, ScheduleShipmentV1.topic, [
      {
        key: 'poison-order',
        value: '{"orderId": not json',
        headers: {
          [Headers.id]: id,
          [Headers.type]: ScheduleShipmentV1.type,
          [Headers.specVersion]: '1.0',
          [Headers.source]: 'console-ops.spec',
          [Headers.time]: new Date().toISOString(),
          [Headers.dataVersion]: String(ScheduleShipmentV1.version),
          [Headers.contentType]: 'application/json',
        },
      },
    ]);
    await page.goto(`${consoleUrl}/#/messaging`);
    const letter = page.locator(`[data-testid="dead-letter"][data-message-id="${id}"]`);
    await letter.waitFor({ timeout: 30_000 });
    const text = await letter.innerText();
    expect(text).toContain('shipping.commands.dlq');
    expect(text).toMatch(/shipping\.commands \[\d\] @\d+/);
    expect(text).toContain('shipping');
    expect(text).toContain(ScheduleShipmentV1.type);
    expect(await letter.locator('.dead-letter-error').innerText()).toMatch(/^PoisonMessageError: INVALID_JSON: value is not JSON/);
  });

  it('replays a charge dead-lettered while payment failed every command: after confirming, its order is CONFIRMED', async () => {
    await shop.setFaults('payment', { failureRate: 1 });
    const orderId = await api.placeOk(orderBody());
    await page.goto(`${consoleUrl}/#/messaging`);
    const letter = page.locator(`[data-testid="dead-letter"][data-key="${orderId}"]`);
    await letter.waitFor({ timeout: 60_000 });
    expect(await letter.innerText()).toContain(ChargePaymentV1.type);
    expect(await letter.locator('.dead-letter-error').innerText()).toBe('SimulatedFault: simulated failure (fault switch: failureRate)');
    // Dead-lettered, so the saga waits at CHARGE_PAYMENT (its deadline is far off in this shop).
    expect((await api.get(orderId)).status).toBe('PENDING');

    await shop.setFaults('payment', { failureRate: 0 });
    await letter.getByRole('button', { name: 'Replay' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.filter({ hasText: 'Replay this message?' }).waitFor();
    await dialog.getByRole('button', { name: `Replay to ${ChargePaymentV1.topic}` }).click();
    await letter.locator('.replayed', { hasText: /replayed at/ }).waitFor();
    expect(await dialog.count()).toBe(0);
    await screenshot('console-messaging.png');

    // The replayed charge is handled this time: payment charges, and the saga goes on to CONFIRMED.
    await api.waitForStatus(orderId, ['CONFIRMED'], 30_000);
    const charges = await shop.query<{ type: string }>('payment', `SELECT type FROM account_event WHERE data->>'orderId' = $1 ORDER BY occurred_at, version`, [orderId]);
    expect(charges.map((c) => c.type)).toEqual(['PaymentCharged']);
  });

  it('shows every service and the infrastructure up on Health', async () => {
    await page.getByRole('link', { name: 'Health' }).click();
    const checks = page.getByTestId('health-check');
    await waitFor('ten health checks, all up', async () => (await checks.count()) === 10 && (await checks.locator('.health-up').count()) === 10, 30_000);
    expect(await checks.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-check')))).toEqual([
      'order',
      'inventory',
      'payment',
      'shipping',
      'notification',
      'Postgres',
      'Kafka',
      'Jaeger query',
      'Mailpit',
      'Keycloak',
    ]);
    expect(await page.locator('tr[data-check="payment"]').innerText()).toMatch(/live ok; ready ok: postgres up, kafka up, messaging up; breakers: database closed/);
    await screenshot('console-health.png');
  });

  it('lists the products with their stock on Inventory and receives a delivery from its form, once', async () => {
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    const poster = page.locator('[data-testid="inventory-product"][data-sku="POSTER-LIMITED"]');
    await poster.waitFor({ timeout: 15_000 });
    const stock = await shop.query<{ sku: string; available: number }>('inventory', 'SELECT sku, available FROM product ORDER BY sku');
    expect(await page.getByTestId('inventory-product').count()).toBe(stock.length);
    const before = stock.find((p) => p.sku === 'POSTER-LIMITED')?.available as number;
    expect(await poster.getByTestId('available').innerText()).toBe(String(before));

    await page.locator('select[name="sku"]').selectOption('POSTER-LIMITED');
    await page.locator('input[name="quantity"]').fill('12');
    await page.getByRole('button', { name: 'Receive stock' }).click();
    await page.getByTestId('receipt').filter({ hasText: `Received 12 of POSTER-LIMITED: ${before + 12} available` }).waitFor({ timeout: 15_000 });
    await poster.getByTestId('available').filter({ hasText: String(before + 12) }).waitFor({ timeout: 15_000 });
    const receipts = await shop.query('inventory', 'SELECT sku, quantity, received_by FROM stock_receipt');
    expect(receipts).toEqual([{ sku: 'POSTER-LIMITED', quantity: 12, received_by: subjectOf('shop-admin') }]);
  });

  it('places a test order with a slow payment: the charge step takes over 3 s, the order is CONFIRMED, and the delay is off again', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByLabel('Test order').selectOption('slow-payment');
    await page.getByRole('button', { name: 'Place' }).click();
    await page.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    await page.getByTestId('order-status').filter({ hasText: 'CONFIRMED' }).waitFor({ timeout: 30_000 });
    const charge = page.getByTestId('saga-step').filter({ hasText: /^CHARGE_PAYMENT/ });
    const seconds = Number(/succeeded in ([\d.]+) s/.exec(await charge.innerText())?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(3);
    await waitFor("payment's delay to be turned off", async () => (await paymentFaults()).delayMs === 0, 15_000);
  });

  it('places a test order and cancels it at once: the order is CANCELLED', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByLabel('Test order').selectOption('cancel');
    await page.getByRole('button', { name: 'Place' }).click();
    await page.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    await page.getByTestId('order-status').filter({ hasText: 'CANCELLED' }).waitFor({ timeout: 30_000 });
  });

  // Last: it stops analytics to show what the page says then (and starts it again for whatever follows).
  it('charts revenue and orders per minute on Analytics, as analytics counted them, growing while orders come in, without a reload', async () => {
    const placed = await Promise.all(
      [orderBody(), orderBody({ lines: [{ sku: 'STICKER-PACK', quantity: 3 }] }), orderBody({ lines: [{ sku: 'TSHIRT-BLUE-M', quantity: 1 }, { sku: 'MUG-LOGO', quantity: 1 }] })].map((body) => api.placeOk(body)),
    );
    const confirmed = await Promise.all(placed.map((id) => api.waitForStatus(id, ['CONFIRMED'], 30_000)));
    const confirmedAt = (order: OrderView) => order.timeline.find((e) => e.event === 'OrderConfirmed')?.at as string;
    const minute = minuteOf(confirmed.map(confirmedAt).sort().at(-1) as string);

    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    const figures = await waitForRevenueBar(minute);
    // The orders chart and the table say the same count.
    expect(await page.locator(`[data-testid="orders-bar"][data-start="${minute}"]`).getAttribute('data-confirmed')).toBe(String(figures.confirmed));
    expect(await page.locator(`[data-testid="analytics-window"][data-start="${minute}"] [data-testid="window-confirmed"]`).innerText()).toBe(String(figures.confirmed));
    await screenshot('console-analytics.png');

    // One more order: the page, left as it is, counts it one more in its minute (a marker on the
    // window survives only if the page is not reloaded).
    await page.evaluate(() => {
      (globalThis as { analyticsNotReloaded?: boolean }).analyticsNotReloaded = true;
    });
    const shownBefore = new Map(await page.locator('[data-testid="revenue-chart"][data-currency="EUR"] [data-testid="revenue-bar"]').evaluateAll((bars) => bars.map((b): [string, string] => [b.getAttribute('data-start') ?? '', b.querySelector('title')?.textContent ?? ''])));
    const one = await api.waitForStatus(await api.placeOk(orderBody({ lines: [{ sku: 'HOODIE-GREY-M', quantity: 1 }] })), ['CONFIRMED'], 30_000);
    const oneMinute = minuteOf(confirmedAt(one));
    const after = await waitForRevenueBar(oneMinute);
    // Its minute showed one order fewer before ("no orders", or not charted yet, when it is a new minute).
    const confirmedIn = (title: string | null | undefined): number => Number(/, (\d+) confirmed,/.exec(title ?? '')?.[1] ?? 0);
    expect(after.confirmed).toBe(confirmedIn(shownBefore.get(oneMinute)) + 1);
    expect(await page.evaluate(() => (globalThis as { analyticsNotReloaded?: boolean }).analyticsNotReloaded)).toBe(true);

    // Analytics stopped (it is optional): the page says so, naming where the console looks for it.
    const analytics = analyticsProcess();
    await analytics.stop();
    await page.getByTestId('analytics-error').filter({ hasText: `analytics is not running at ${analytics.url}` }).waitFor({ timeout: 15_000 });
    await shop.startAnalytics().waitUntilReady(120_000);
    await page.getByTestId('analytics-error').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
