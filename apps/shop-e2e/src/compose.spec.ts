import type { OrderWindowUpdatedV1 } from '@shop/contracts';
import { OPS_CLIENT, repoRoot, SERVICES, Tokens, waitFor, type Email, type ServiceName } from '@shop/testing';
import { Kafka, logLevel } from 'kafkajs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { emailsFor, orderBody, OrdersApi } from './support/api';
import { portOpen, processesMentioning } from './support/processes';

/**
 * docker-compose.yml run for real, as `npm run compose` runs it on a machine without Docker: podman
 * behind Docker Compose, every image built here (docker/local-images/ and the project's
 * Dockerfile). A private project on private ports: a customer signs in through Keycloak and an
 * order goes all the way to DELIVERED, with its emails in Mailpit and one trace in Jaeger; the
 * console shows it in Chromium; Kafka, Postgres and SMTP take TLS only, verified against the
 * shop's own CA; a service killed with SIGKILL mid-saga comes back by its restart policy and its
 * order completes; `down -v` leaves nothing behind. A failing step prints the logs
 * of the containers it concerns.
 */
const PROJECT = 'shop-compose-e2e';
const ports = {
  ORDER_PORT: 24300,
  INVENTORY_PORT: 24301,
  PAYMENT_PORT: 24302,
  SHIPPING_PORT: 24303,
  NOTIFICATION_PORT: 24304,
  ANALYTICS_PORT: 24305,
  CONSOLE_PORT: 24310,
  KEYCLOAK_PORT: 24380,
  REGISTRY_PORT: 24381,
  JAEGER_QUERY_PORT: 24386,
  JAEGER_OTLP_HTTP_PORT: 24318,
  MAILPIT_HTTP_PORT: 24325,
  SMTP_PORT: 24326,
  PROMETHEUS_PORT: 24390,
  GRAFANA_PORT: 24330,
  KAFKA_PORT: 24392,
  PGPORT: 24332,
};
/** Every container that runs for as long as the shop does (grafana is not built here: see README). */
const LONG_RUNNING = ['kafka', 'postgres', 'keycloak', 'schema-registry', 'jaeger', 'mailpit', 'prometheus', ...SERVICES, 'analytics', 'console'];
const ONE_SHOT = ['certs', 'kafka-init', 'schema-init'];
const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

// The engine's socket and pid file in a directory of this run's own: after `down -v` no process may mention it.
const runDir = mkdtempSync(join(tmpdir(), 'shop-compose-e2e-'));
const containersConf = join(process.env['SHOP_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'shop-platform'), 'podman/containers.conf');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  COMPOSE_PROJECT_NAME: PROJECT,
  SHOP_COMPOSE_RUN_DIR: runDir,
  // The simulated clock: an order ships 2 s after it is confirmed and is delivered 2 s later.
  SHIPPING_DISPATCH_AFTER_MS: '2000',
  SHIPPING_DELIVER_AFTER_MS: '2000',
  CONTAINERS_CONF: containersConf,
};
const servicePorts: Record<ServiceName, number> = {
  order: ports.ORDER_PORT,
  inventory: ports.INVENTORY_PORT,
  payment: ports.PAYMENT_PORT,
  shipping: ports.SHIPPING_PORT,
  notification: ports.NOTIFICATION_PORT,
};
const composed = {
  tokens: new Tokens(ports.KEYCLOAK_PORT),
  url: (service: ServiceName) => `http://127.0.0.1:${servicePorts[service]}`,
  async emails(): Promise<Email[]> {
    const res = await fetch(`http://127.0.0.1:${ports.MAILPIT_HTTP_PORT}/api/v1/messages?limit=1000`);
    return ((await res.json()) as { messages: Email[] }).messages;
  },
};
const api = new OrdersApi(composed);

/** `npm run compose -- <args>` for this project; its output is kept, or shown as it comes with `show`. */
function compose(args: string[], { show = false, timeoutMs = 300_000 } = {}): { status: number | null; output: string } {
  const r = spawnSync('bash', ['scripts/compose.sh', ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', show ? 'inherit' : 'pipe', show ? 'inherit' : 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function podman(args: string[]): string {
  const r = spawnSync('podman', args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

interface ComposePs {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
  Publishers: Array<{ URL: string; PublishedPort: number }> | null;
}

/** `compose ps --all` as data (one JSON object per line). */
function containers(): ComposePs[] {
  const { output } = compose(['ps', '--all', '--format', 'json']);
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ComposePs);
}

/** Runs a step; when it fails, prints `ps` and the logs of the containers it concerns (and of any that is not healthy), then fails. */
async function step(concerns: string[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const all = containers();
    const unwell = all.filter((c) => (c.State !== 'running' || (c.Health && c.Health !== 'healthy')) && !(ONE_SHOT.includes(c.Service) && c.ExitCode === 0)).map((c) => c.Service);
    const shown = [...new Set([...concerns, ...unwell])];
    console.error(
      [
        `compose ps: ${all.map((c) => `${c.Service}=${c.State}${c.Health ? `/${c.Health}` : ''}`).join(' ')}`,
        `logs of ${shown.join(', ')}:`,
        compose(['logs', '--no-color', '--tail', '60', ...shown]).output,
      ].join('\n'),
    );
    throw error;
  }
}

interface JaegerTrace {
  traceID: string;
  spans: Array<{ processID: string }>;
  processes: Record<string, { serviceName: string }>;
}

let browser: Browser | undefined;
let deliveredId: string;

beforeAll(() => {
  // Images first (cached after the first run on a machine), then every container, waiting for each healthcheck.
  const up = compose(['up', '--detach', '--wait', '--wait-timeout', '600'], { show: true, timeoutMs: 40 * 60_000 });
  if (up.status !== 0) {
    console.error(compose(['logs', '--no-color', '--tail', '80']).output);
    throw new Error(`npm run compose -- up --detach --wait exited ${up.status}: see the logs above`);
  }
}, 45 * 60_000);

afterAll(async () => {
  await browser?.close();
  // A no-op when the last test has already taken it down.
  compose(['down', '--volumes', '--timeout', '5']);
  rmSync(runDir, { recursive: true, force: true });
}, 300_000);

describe('docker compose, run for real (npm run compose)', () => {
  it('runs every long-running container healthy on 127.0.0.1 only, after its init jobs succeeded', async () => {
    await step([], async () => {
      const all = containers();
      expect(all.map((c) => c.Service).sort()).toEqual([...LONG_RUNNING, ...ONE_SHOT].sort());
      for (const name of LONG_RUNNING) {
        const c = all.find((x) => x.Service === name);
        expect({ name, state: c?.State, health: c?.Health }).toEqual({ name, state: 'running', health: 'healthy' });
        for (const published of c?.Publishers ?? []) {
          if (published.PublishedPort) expect({ name, url: published.URL }).toEqual({ name, url: '127.0.0.1' });
        }
      }
      for (const name of ONE_SHOT) {
        const c = all.find((x) => x.Service === name);
        expect({ name, state: c?.State, exitCode: c?.ExitCode }).toEqual({ name, state: 'exited', exitCode: 0 });
      }
    });
  });

  it("takes a signed-in customer's order to DELIVERED; another customer gets 404 for it", async () => {
    await step(['order', 'inventory', 'payment', 'shipping', 'keycloak'], async () => {
      deliveredId = await api.placeOk(orderBody());
      const delivered = await api.waitForStatus(deliveredId, ['DELIVERED'], 90_000);
      expect(delivered.totalCents).toBe(2500);
      const asBob = await api.as('bob').request('GET', `/orders/${deliveredId}`);
      expect(asBob.status).toBe(404);
    });
  });

  it("sends the order's three emails through Mailpit", async () => {
    await step(['notification', 'mailpit'], async () => {
      const expected = ['is confirmed', 'has shipped', 'was delivered'];
      await waitFor(`emails ${expected.join(', ')} for ${deliveredId}`, async () => (await emailsFor(composed, deliveredId)).length >= expected.length, 30_000, 250);
      expect((await emailsFor(composed, deliveredId)).sort()).toEqual([...expected].sort());
    });
  });

  it("counts the order in the analytics service's revenue per minute (admins only)", async () => {
    await step(['analytics', 'kafka'], async () => {
      const url = `http://127.0.0.1:${ports.ANALYTICS_PORT}/analytics/revenue-per-minute`;
      expect((await fetch(url, { headers: await composed.tokens.header('alice') })).status).toBe(403);
      const admin = await composed.tokens.header(OPS_CLIENT);
      type Window = Pick<OrderWindowUpdatedV1, 'confirmed' | 'revenue'>;
      let windows: Window[] = [];
      // This shop's only order so far: one confirmed order, its total, in the last hour's windows.
      await waitFor(
        'a window with the confirmed order',
        async () => {
          const res = await fetch(url, { headers: admin });
          windows = res.status === 200 ? ((await res.json()) as { windows: Window[] }).windows : [];
          return windows.some((w) => w.confirmed > 0);
        },
        30_000,
        500,
      );
      expect(windows.reduce((n, w) => n + w.confirmed, 0)).toBe(1);
      const { body: order } = await api.request<{ totalCents: number; currency: string }>('GET', `/orders/${deliveredId}`);
      expect(windows.flatMap((w) => w.revenue)).toEqual([{ currency: order.currency, amountCents: order.totalCents }]);
    });
  });

  it("takes Kafka, Postgres and SMTP over TLS only, verified against the shop's own CA; every service's database connection is TLS", async () => {
    await step(['certs', 'kafka', 'postgres', 'mailpit'], async () => {
      const ca = podman(['exec', `${PROJECT}-postgres-1`, 'cat', '/certs/ca.pem']);
      expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);

      const database = { host: '127.0.0.1', port: ports.PGPORT, user: 'shop_order', password: 'order-local', database: 'shop_order' };
      await expect(new Client({ ...database, ssl: false }).connect()).rejects.toThrow(/no encryption/);
      const db = new Client({ ...database, ssl: { ca } });
      await db.connect();
      try {
        // The services' own connections (order's relay, consumer and pool among them), as Postgres sees them.
        const { rows } = await db.query<{ usename: string; ssl: boolean }>(
          `SELECT a.usename, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename LIKE 'shop\\_%' AND a.pid <> pg_backend_pid()`,
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((r) => !r.ssl)).toEqual([]);
      } finally {
        await db.end();
      }

      const kafka = (ssl: false | { ca: string }) =>
        new Kafka({
          brokers: [`127.0.0.1:${ports.KAFKA_PORT}`],
          ssl,
          sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'admin-local' },
          connectionTimeout: 3000,
          retry: { retries: 0 },
          logLevel: logLevel.NOTHING,
        }).admin();
      const plainAdmin = kafka(false);
      await expect(plainAdmin.connect()).rejects.toThrow();
      await plainAdmin.disconnect();
      const admin = kafka({ ca });
      await admin.connect();
      try {
        expect((await admin.describeCluster()).brokers).toEqual([expect.objectContaining({ host: '127.0.0.1', port: ports.KAFKA_PORT })]);
      } finally {
        await admin.disconnect();
      }

      const mail = { from: 'tls-check@shop.local', to: 'tls-check@example.com', subject: 'TLS check', text: 'TLS check' };
      const plainSmtp = createTransport({ host: '127.0.0.1', port: ports.SMTP_PORT, ignoreTLS: true });
      await expect(plainSmtp.sendMail(mail)).rejects.toThrow(/STARTTLS/i);
      plainSmtp.close();
      const smtp = createTransport({ host: '127.0.0.1', port: ports.SMTP_PORT, requireTLS: true, tls: { ca } });
      try {
        await expect(smtp.sendMail(mail)).resolves.toMatchObject({ accepted: ['tls-check@example.com'] });
      } finally {
        smtp.close();
      }
    });
  });

  it('puts the order in one trace in Jaeger, with spans of all five services', async () => {
    await step(['jaeger', ...SERVICES], async () => {
      const tags = encodeURIComponent(JSON.stringify({ 'shop.order_id': deliveredId }));
      let traces: JaegerTrace[] = [];
      const servicesIn = (t: JaegerTrace) => new Set(t.spans.map((s) => t.processes[s.processID].serviceName));
      await waitFor(
        `a trace of order ${deliveredId} with spans of every service`,
        async () => {
          const res = await fetch(`http://127.0.0.1:${ports.JAEGER_QUERY_PORT}/api/traces?service=order&tags=${tags}&lookback=1h&limit=20`);
          traces = res.status === 200 ? (((await res.json()) as { data: JaegerTrace[] | null }).data ?? []) : [];
          return traces.length > 0 && SERVICES.every((s) => servicesIn(traces[0]).has(s));
        },
        60_000,
        1000,
      );
      expect(traces).toHaveLength(1);
      expect([...servicesIn(traces[0])].sort()).toEqual(expect.arrayContaining([...SERVICES].sort()));
    });
  });

  it('shows the order in the console once the admin has signed in through Keycloak, in Chromium', async () => {
    await step(['console', 'keycloak', 'order'], async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage();
      const consoleUrl = `http://127.0.0.1:${ports.CONSOLE_PORT}`;
      await page.goto(`${consoleUrl}/`);
      await page.waitForURL((url) => url.port === String(ports.KEYCLOAK_PORT), { timeout: 30_000 });
      await page.locator('#username').fill('shop-admin');
      await page.locator('#password').fill('shop-admin-local');
      await page.locator('#kc-login').click();
      await page.waitForURL((url) => url.origin === consoleUrl, { timeout: 30_000 });
      await page.getByTestId('signed-in-user').filter({ hasText: 'shop-admin' }).waitFor();
      await page.locator(`tr[data-order-id="${deliveredId}"]`).locator('.status', { hasText: /^DELIVERED$/ }).waitFor({ timeout: 30_000 });
    });
  });

  it('fits in 8 GiB of memory, every container together, after an order went through', async () => {
    await step([], async () => {
      const ids = podman(['ps', '--quiet', '--filter', `label=com.docker.compose.project=${PROJECT}`]).split('\n').filter(Boolean);
      let bytes = 0;
      for (const id of ids) {
        // The container's cgroup, as the kernel counts it (cgroup v1 here; v2 elsewhere).
        const cgroup = podman(['inspect', '--format', '{{.State.CgroupPath}}', id]);
        const v1 = `/sys/fs/cgroup/memory${cgroup}/memory.usage_in_bytes`;
        bytes += Number(readFileSync(existsSync(v1) ? v1 : `/sys/fs/cgroup${cgroup}/memory.current`, 'utf8'));
      }
      console.log(`compose: ${ids.length} containers use ${(bytes / 2 ** 30).toFixed(2)} GiB of memory`);
      expect(ids.length).toBe(LONG_RUNNING.length);
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(8 * 2 ** 30);
    });
  });

  it('restarts a service killed with SIGKILL mid-saga by its restart policy, and the order completes', async () => {
    await step(['order'], async () => {
      const container = `${PROJECT}-order-1`;
      const restartsBefore = Number(podman(['inspect', '--format', '{{.RestartCount}}', container]));
      const id = await api.placeOk(orderBody({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }));
      // The saga is under way (the order was only accepted): its orchestrator dies, as on a crash.
      process.kill(Number(podman(['inspect', '--format', '{{.State.Pid}}', container])), 'SIGKILL');
      await waitFor(`${container} restarted`, async () => Number(podman(['inspect', '--format', '{{.RestartCount}}', container])) > restartsBefore, 60_000, 500);
      const done = await api.waitForStatus(id, ['DELIVERED'], 120_000);
      // Each step was sent exactly once: the crash neither lost nor repeated one.
      expect(done.timeline.filter((t) => t.event === 'CommandSent').map((t) => t.command)).toEqual(['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT']);
      await waitFor(`${container} healthy again`, async () => podman(['inspect', '--format', '{{.State.Health.Status}}', container]) === 'healthy', 60_000, 500);
    });
  });

  it('leaves no container, network, volume, port or process behind after down -v', async () => {
    const down = compose(['down', '--volumes', '--timeout', '10'], { show: true });
    expect(down.status).toBe(0);
    expect(podman(['ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${PROJECT}`])).toBe('');
    expect(podman(['network', 'ls', '--format', '{{.Name}}']).split('\n')).not.toContain(`${PROJECT}_default`);
    expect(podman(['volume', 'ls', '--format', '{{.Name}}']).split('\n').filter((v) => v.startsWith(`${PROJECT}_`))).toEqual([]);
    const open: number[] = [];
    for (const port of Object.values(ports)) if (await portOpen(port)) open.push(port);
    expect(open).toEqual([]);
    expect(processesMentioning(runDir)).toEqual([]);
  });
});
