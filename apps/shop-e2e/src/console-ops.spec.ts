import { Headers, ChargePaymentV1, ScheduleShipmentV1 } from '@shop/contracts';
import { infra, produceRaw, repoRoot, Shop, startServiceProcess, waitFor, type ServiceProcess } from '@shop/testing';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { orderBody, OrdersApi } from './support/api';

/**
 * The ops console's Messaging and Health views and its slow-participant and cancel test orders, in
 * Debian's Chromium against a private shop (as console.spec.ts): the admin signs in and sees the
 * five services' messaging figures; a poison message produced by the test appears among the dead
 * letters with its error; a charge dead-lettered while payment's fault switch failed every
 * command is replayed from the page after the switch is off, and its order is then CONFIRMED;
 * Health shows every service and piece of infrastructure up.
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
const consoleUrl = `http://127.0.0.1:${CONSOLE_PORT}`;

let consoleApp: ServiceProcess | undefined;
let browser: Browser | undefined;
let page: Page;

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
  const res = await fetch(`${shop.url('payment')}/admin/faults`, { headers: await shop.tokens.header('shop-admin') });
  return (await res.json()) as { delayMs: number; failureRate: number };
}

describe('the ops console: messaging, dead letters, health, slow and cancelled test orders', () => {
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
    expect(await page.locator('tr[data-check="payment"]').innerText()).toMatch(/live ok; ready ok: postgres up, kafka up/);
    await screenshot('console-health.png');
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
});
