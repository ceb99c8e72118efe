import { httpGet, repoRoot, SERVICES, Shop, startServiceProcess, subjectOf, waitFor, type ServiceProcess } from '@shop/testing';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { orderBody, OrdersApi } from './support/api';

/**
 * The ops console (apps/console) in a real browser: Debian's Chromium, driven by playwright-core
 * (Playwright's own browser download cannot reach its host here), against a private shop. The
 * admin signs in on Keycloak's own login page; an order placed through the order API, as a
 * customer, appears in the console's live list and reaches CONFIRMED there without a reload; its
 * page shows the saga's three steps. A customer who signs in sees nothing.
 */
const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';
const CONSOLE_PORT = 23610;

const shop = new Shop({
  servicePortBase: 23600,
  infraPorts: {
    PGPORT: 25443,
    KAFKA_PORT: 29992,
    KAFKA_CONTROLLER_PORT: 29993,
    JAEGER_OTLP_GRPC_PORT: 24917,
    JAEGER_OTLP_HTTP_PORT: 24918,
    JAEGER_QUERY_PORT: 27086,
    JAEGER_QUERY_GRPC_PORT: 27085,
    SMTP_PORT: 21925,
    MAILPIT_HTTP_PORT: 28925,
    KEYCLOAK_PORT: 28980,
    // A private schema registry: the console shows a message type's registered schemas.
    REGISTRY_PORT: 28991,
    REGISTRY_MANAGEMENT_PORT: 28992,
  },
  // Spans reach Jaeger every 200 ms instead of every 5 s: the order page's trace fills sooner.
  commonEnv: { OTEL_BSP_SCHEDULE_DELAY: '200' },
  env: {
    // The order stays CONFIRMED for the length of the test: dispatch comes much later.
    shipping: { SHIPPING_DISPATCH_AFTER_MS: '600000' },
  },
});
const api = new OrdersApi(shop);

const consoleUrl = `http://127.0.0.1:${CONSOLE_PORT}`;

/** Keycloak's login page, filled in and sent as `user` with their local password (`<user>-local`, the realm file's rule). */
async function signInOnKeycloak(on: Page, user: string): Promise<void> {
  await on.waitForURL((url) => url.port === String(shop.tokens.keycloakPort), { timeout: 30_000 });
  await on.locator('#username').fill(user);
  await on.locator('#password').fill(`${user}-local`);
  await on.locator('#kc-login').click();
  await on.waitForURL((url) => url.origin === consoleUrl, { timeout: 30_000 });
}

let consoleApp: ServiceProcess | undefined;
let browser: Browser | undefined;
let page: Page;
/** The order the list test sees confirmed; later tests open its page again. */
let confirmedId: string;

beforeAll(async () => {
  // npm test provisions it too; here for a run of this file alone.
  execFileSync('bash', ['scripts/infra/provision.sh', 'chromium'], { cwd: repoRoot, stdio: 'inherit' });
  await shop.start();
  consoleApp = startServiceProcess('console', {
    PORT: String(CONSOLE_PORT),
    ORDER_API_URL: shop.url('order'),
    OIDC_ISSUER: shop.tokens.issuer,
    JAEGER_QUERY_URL: shop.jaegerUrl,
    MAILPIT_URL: shop.mailpitUrl,
    ...(shop.schemaRegistryUrl ? { SCHEMA_REGISTRY_URL: shop.schemaRegistryUrl } : {}),
  });
  await consoleApp.waitUntilReady(60_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage();
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

/** The order page's trace lane of a service. */
const lane = (service: string) => page.locator(`[data-testid="trace-lane"][data-service="${service}"]`);

/** The order page's rows of the Kafka messages of this type (one of each on the happy path, but for order.confirmed's v1 and v2). */
const message = (type: string) => page.getByTestId('kafka-message').filter({ has: page.locator('td:nth-child(3)').getByText(type, { exact: true }) });

/** The texts of the saga steps the order page shows, once there are `n`. */
async function sagaSteps(n: number): Promise<string[]> {
  const steps = page.getByTestId('saga-step');
  await waitFor(`${n} saga steps on the order page`, async () => (await steps.count()) === n && (await steps.allInnerTexts()).every((t) => !t.includes('in flight')), 30_000);
  return steps.allInnerTexts();
}

describe('the ops console in Chromium', () => {
  it('its API refuses a request without a session; its page comes with the security headers the services send', async () => {
    const res = await httpGet(`${consoleUrl}/api/orders`);
    expect(res.status).toBe(401);
    // The tests below run the page under this policy: it needs nothing from another origin.
    const home = await httpGet(`${consoleUrl}/`);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends the browser to Keycloak to sign in, and back; the admin sees the orders', async () => {
    await page.goto(`${consoleUrl}/`);
    await signInOnKeycloak(page, 'shop-admin');
    await page.getByTestId('signed-in-user').filter({ hasText: 'shop-admin' }).waitFor();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
  });

  it('shows a new order in the live list, CONFIRMED once its saga is done, and its three saga steps', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();

    // Placed after the page loaded: only polling can bring it onto the page.
    const id = await api.placeOk(orderBody({ lines: [{ sku: 'MUG-LOGO', quantity: 2 }] }));
    confirmedId = id;
    const row = page.locator(`tr[data-order-id="${id}"]`);
    await row.locator('.status', { hasText: /^CONFIRMED$/ }).waitFor({ timeout: 30_000 });
    await screenshot('console-orders.png');
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe(id);
    expect(cells[2]).toBe('€25.00');
    expect(cells[3]).toMatch(/^\d+(\.\d)? (ms|s)$/);

    // A filter the order cannot match hides it; taking the filter off brings it back.
    await page.getByLabel('Status').selectOption('REJECTED');
    await page.getByText('No orders match.').waitFor();
    expect(await row.count()).toBe(0);
    await page.getByLabel('Status').selectOption('');
    await row.waitFor();

    await row.getByRole('link').click();
    await page.getByTestId('order-status').filter({ hasText: 'CONFIRMED' }).waitFor();
    const steps = await sagaSteps(3);
    expect(steps.map((s) => s.split(/\s+/)[0])).toEqual(['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT']);
    expect(steps[0]).toMatch(/succeeded in [\d.]+ (ms|s) \(StockReserved\)/);
    expect(steps[1]).toMatch(/succeeded in [\d.]+ (ms|s) \(PaymentCharged\)/);
    expect(steps[2]).toMatch(/succeeded in [\d.]+ (ms|s) \(ShipmentScheduled\)/);

    // Its history (the order API's audit trail), first event to confirmation.
    const history = await page.getByTestId('history').locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(history[0]).toBe('OrderPlaced');
    expect(history).toContain('OrderConfirmed');

    // Its trace from the real Jaeger: a lane per service, all five of them, each with its spans.
    for (const service of SERVICES) await lane(service).locator('[data-testid="trace-span"]').first().waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('trace-lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-service')))).sort()).toEqual([...SERVICES].sort());
    expect(await lane('order').locator('[data-testid="trace-span"]').first().getAttribute('title')).toMatch(/^POST\b.* \(order\): [\d.]+ (ms|s) from \+0 ms$/);

    // Its confirmation email, from the real Mailpit, to the address the order was placed with.
    const email = page.getByTestId('email').filter({ has: page.getByTestId('email-subject').filter({ hasText: `Your order ${id} is confirmed` }) });
    await email.waitFor({ timeout: 30_000 });
    expect(await email.getByTestId('email-to').innerText()).toBe('alice@example.com');
    expect(await email.locator('pre').innerText()).toContain(`Order ${id}`);

    // Its Kafka messages, read from the trace's publish spans, each reply caused by its command.
    await message('order.confirmed')
      .locator('td', { hasText: /^order → .*notification/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const idOf = (type: string) => message(type).getAttribute('data-message-id');
    const causeOf = (type: string) => message(type).getByTestId('caused-by').locator('code').innerText();
    expect(await causeOf('inventory.stock-reserved')).toBe(await idOf('inventory.reserve-stock'));
    expect(await causeOf('payment.charge-payment')).toBe(await idOf('inventory.stock-reserved'));
    expect(await causeOf('payment.charged')).toBe(await idOf('payment.charge-payment'));
    expect(await causeOf('shipping.schedule-shipment')).toBe(await idOf('payment.charged'));
    expect(await causeOf('shipping.shipment-scheduled')).toBe(await idOf('shipping.schedule-shipment'));
    // order.confirmed goes out twice, as v1 and v2 side by side (apps/order), both caused by the last reply.
    await waitFor('both order.confirmed messages on the page', async () => (await message('order.confirmed').count()) === 2, 10_000);
    const scheduled = await idOf('shipping.shipment-scheduled');
    expect(await message('order.confirmed').getByTestId('caused-by').locator('code').allInnerTexts()).toEqual([scheduled, scheduled]);
    await screenshot('console-order.png');
  });

  it('shows a rejected order with the failed step and its reason', async () => {
    const id = await api.placeOk(orderBody({ paymentMethod: 'card_declined' }));
    await page.goto(`${consoleUrl}/#/orders/${id}`);
    await page.getByTestId('order-status').filter({ hasText: 'REJECTED' }).waitFor({ timeout: 30_000 });
    const steps = await sagaSteps(3);
    expect(steps[1]).toMatch(/^CHARGE_PAYMENT\s+failed in .* \(PaymentDeclined: .+\)/);
    expect(steps[2]).toMatch(/^RELEASE_STOCK\s+succeeded/);

    // On the waterfall, payment's handling of the charge failed: a red bar that says so in its title.
    const failed = lane('payment').locator('.span-error').first();
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.getAttribute('title')).toMatch(/^payment\.commands process \(payment\): .*; error/);
  });

  it("shows an email's HTML only in a frame sandboxed without scripts", async () => {
    // The shop sends text emails today; an HTML one for the order, handed to the real Mailpit through its send API.
    const subject = `An HTML email about ${confirmedId}`;
    const sent = await fetch(`${shop.mailpitUrl}/api/v1/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        From: { Email: 'shop@example.com' },
        To: [{ Email: 'alice@example.com' }],
        Subject: subject,
        HTML: '<h1>Hello from HTML</h1><script>document.body.append("the script ran")</script>',
        Headers: { 'Message-ID': `<${confirmedId}.html_test@e2e.local>` },
      }),
    });
    expect(sent.status).toBe(200);
    await page.goto(`${consoleUrl}/#/orders/${confirmedId}`);
    const frame = page.locator(`iframe[title="${subject}"]`);
    await frame.contentFrame().locator('h1', { hasText: 'Hello from HTML' }).waitFor({ timeout: 30_000 });
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.contentFrame().locator('body').innerText()).not.toContain('the script ran');
  });

  it("links each of the order's Kafka messages to its schemas in the schema registry", async () => {
    await page.goto(`${consoleUrl}/#/orders/${confirmedId}`);
    await page.getByTestId('message-type').filter({ hasText: /^order\.placed$/ }).first().click();
    await page.waitForURL(/#\/schemas\/order\.placed$/);
    const registered = page.getByTestId('registered-schema');
    await registered.first().waitFor({ timeout: 15_000 });
    expect(await registered.evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')))).toEqual(['order.placed.v1']);
    // What the registry holds is the contracts' schema: its properties, as the page shows them.
    const shown = JSON.parse(await registered.locator('pre').innerText()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(shown.properties)).toEqual(['orderId', 'customerId', 'customerEmail', 'customerName', 'lines', 'totalCents', 'currency', 'placedAt']);
    expect(shown.additionalProperties).toBe(false);
    // Both versions of a type with two.
    await page.goto(`${consoleUrl}/#/schemas/order.confirmed`);
    await page.locator('[data-subject="order.confirmed.v2"]').waitFor({ timeout: 15_000 });
    expect(await registered.evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')))).toEqual(['order.confirmed.v1', 'order.confirmed.v2']);
  });

  it('says so on the order page when Jaeger and Mailpit are down, and shows the rest', async () => {
    await shop.stopComponent('jaeger');
    await shop.stopComponent('mailpit');
    try {
      await page.goto(`${consoleUrl}/#/orders/${confirmedId}`);
      await page.getByTestId('order-status').filter({ hasText: 'CONFIRMED' }).waitFor();
      await page
        .getByTestId('trace-unavailable')
        .filter({ hasText: /Jaeger does not answer at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/ })
        .waitFor();
      await page
        .getByTestId('emails-unavailable')
        .filter({ hasText: /Mailpit does not answer at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/ })
        .waitFor();
      expect(await sagaSteps(3)).toHaveLength(3);
    } finally {
      await shop.startComponent('jaeger');
      await shop.startComponent('mailpit');
    }
  });

  it('places a test order down a failure path from the form, and shows it unwound', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByLabel('Test order').selectOption('shipment-impossible');
    await page.getByRole('button', { name: 'Place' }).click();
    await page.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    await page.getByTestId('order-status').filter({ hasText: 'REJECTED' }).waitFor({ timeout: 30_000 });
    const steps = await sagaSteps(5);
    expect(steps.map((s) => s.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'RESERVE_STOCK succeeded',
      'CHARGE_PAYMENT succeeded',
      'SCHEDULE_SHIPMENT failed',
      'REFUND_PAYMENT succeeded',
      'RELEASE_STOCK succeeded',
    ]);
    // The order is the signed-in admin's: the order API took the customer from the token.
    const id = new URL(page.url()).hash.split('/').at(-1) ?? '';
    expect((await shop.query<{ customer_id: string }>('order', 'SELECT customer_id FROM order_view WHERE id = $1', [id]))[0]?.customer_id).toBe(subjectOf('shop-admin'));
  });

  it("a change sent with the admin's session cookie but without the page's CSRF token, or from another origin, is refused: nothing is placed", async () => {
    const count = async () => (await shop.query<{ n: number }>('order', 'SELECT count(*)::int AS n FROM order_view WHERE customer_id = $1', [subjectOf('shop-admin')]))[0]?.n;
    const before = await count();
    // page.request carries the browser context's cookies, as a form on another local page would.
    const noToken = await page.request.post(`${consoleUrl}/api/test-orders`, { data: { path: 'happy' } });
    expect([noToken.status(), (await noToken.json()).code]).toEqual([403, 'CONSOLE.CSRF']);
    const { csrfToken } = (await (await page.request.get(`${consoleUrl}/auth/me`)).json()) as { csrfToken: string };
    const otherOrigin = await page.request.post(`${consoleUrl}/api/test-orders`, { data: { path: 'happy' }, headers: { 'x-csrf-token': csrfToken, origin: shop.mailpitUrl } });
    expect([otherOrigin.status(), (await otherOrigin.json()).code]).toEqual([403, 'CONSOLE.CSRF']);
    const replay = await page.request.post(`${consoleUrl}/api/dead-letters/replay`, { data: { dlqTopic: 'order.events.dlq', partition: 0, offset: '0' } });
    expect(replay.status()).toBe(403);
    const logout = await page.request.post(`${consoleUrl}/auth/logout`);
    expect(logout.status()).toBe(403);
    expect(await count()).toBe(before);
    // The page itself (its token, its origin) still works: the session was not ended either.
    expect((await page.request.get(`${consoleUrl}/api/orders`)).status()).toBe(200);
  });

  it('a customer who signs in sees no order, and is told why; the API answers them 403', async () => {
    if (!browser) throw new Error('Chromium did not start');
    const customer = await browser.newContext();
    try {
      const customerPage = await customer.newPage();
      await customerPage.goto(`${consoleUrl}/#/orders`);
      await signInOnKeycloak(customerPage, 'alice');
      await customerPage.getByTestId('not-admin').filter({ hasText: "alice is signed in but lacks the realm role 'admin'" }).waitFor();
      expect(await customerPage.locator('table').count()).toBe(0);
      const api = await customerPage.request.get(`${consoleUrl}/api/orders`);
      expect(api.status()).toBe(403);
      expect(await api.json()).toMatchObject({ detail: "alice lacks the realm role 'admin', which the console needs." });
    } finally {
      await customer.close();
    }
  });

  it('signing out ends the session here and at Keycloak: the next visit asks for the password again', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByTestId('signed-in-user').filter({ hasText: 'shop-admin' }).waitFor();
    const cookie = (await page.context().cookies(consoleUrl)).find((c) => c.name === 'console_session');
    expect(cookie).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Back at the console, which finds nobody signed in and sends the browser to Keycloak's login form.
    await page.waitForURL((url) => url.port === String(shop.tokens.keycloakPort), { timeout: 30_000 });
    await page.locator('#username').waitFor();
    const stale = await fetch(`${consoleUrl}/api/orders`, { headers: { cookie: `console_session=${cookie?.value}` } });
    expect(stale.status).toBe(401);
  });
});
