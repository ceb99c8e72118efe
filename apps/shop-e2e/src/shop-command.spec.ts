import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { orderBody } from './support/api';
import { portOpen, processesMentioning } from './support/processes';

const repoRoot = resolve(__dirname, '../../..');

/** Private ports and data dir, so this suite can run beside a running shop or other suites. */
const ports = {
  ORDER_PORT: 23000,
  INVENTORY_PORT: 23001,
  PAYMENT_PORT: 23002,
  SHIPPING_PORT: 23003,
  NOTIFICATION_PORT: 23004,
  CONSOLE_PORT: 23010,
  PGPORT: 25433,
  KAFKA_PORT: 29192,
  KAFKA_CONTROLLER_PORT: 29193,
  JAEGER_OTLP_GRPC_PORT: 24317,
  JAEGER_OTLP_HTTP_PORT: 24318,
  JAEGER_QUERY_PORT: 26686,
  JAEGER_QUERY_GRPC_PORT: 26685,
  SMTP_PORT: 21025,
  MAILPIT_HTTP_PORT: 28025,
  KEYCLOAK_PORT: 28080,
  REGISTRY_PORT: 28081,
  REGISTRY_MANAGEMENT_PORT: 28082,
};

describe('npm run shop', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));

  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    SHOP_RUN_DIR: join(runDir, 'infra'),
    SHOP_LOG_DIR: join(runDir, 'logs'),
  };
  const infra = (...args: string[]) => execFileSync('bash', [join(repoRoot, 'scripts/infra/infra.sh'), ...args], { cwd: repoRoot, env, stdio: 'pipe' });

  afterAll(() => {
    infra('stop', 'postgres'); // the test's own, should it end early
    rmSync(runDir, { recursive: true, force: true });
  });

  it('starts everything (the console too), reports it ready, and Ctrl-C leaves nothing running but what ran before', async () => {
    // Postgres already running (someone else's): used, and left running.
    infra('start', 'postgres');
    // detached: its own process group, so the test can press "Ctrl-C" (SIGINT to the group).
    const shop = spawn('npm', ['run', 'shop'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    shop.stdout.on('data', (d: Buffer) => (output += d.toString()));
    shop.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // 'close' fires once npm has exited AND every process writing to its output (the
    // supervisor and the services) has closed it: only then is the shutdown complete.
    const closed = new Promise<string>((done) => shop.on('close', (code, signal) => done(String(code ?? signal))));

    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes('The shop is running')) {
        if (shop.exitCode !== null) throw new Error(`npm run shop exited early:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no banner after 240 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }

      // Readiness: anyone learns up or down; an admin's token (the banner's token command) reads each dependency.
      const adminToken = execFileSync('npm', ['run', '-s', 'token', '--', '--admin'], { cwd: repoRoot, env, encoding: 'utf8' }).trim();
      for (const port of [ports.ORDER_PORT, ports.INVENTORY_PORT, ports.PAYMENT_PORT, ports.SHIPPING_PORT, ports.NOTIFICATION_PORT]) {
        const anonymous = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect({ port, status: anonymous.status, body: await anonymous.json() }).toEqual({ port, status: 200, body: { status: 'ok' } });
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { headers: { authorization: `Bearer ${adminToken}` } });
        expect({ port, status: res.status }).toEqual({ port, status: 200 });
        expect(await res.json()).toMatchObject({ info: { postgres: { status: 'up' }, kafka: { status: 'up' }, messaging: { status: 'up' } } });
      }
      // The banner means the shop can serve: the first order placed right after it, signed in with
      // the token the banner's command prints, is accepted and priced.
      const token = execFileSync('npm', ['run', '-s', 'token', '--', 'alice'], { cwd: repoRoot, env, encoding: 'utf8' }).trim();
      const placed = await fetch(`http://127.0.0.1:${ports.ORDER_PORT}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `shop-command-${Date.now()}` },
        body: JSON.stringify(orderBody()),
      });
      expect(placed.status).toBe(202);
      // The ops console is ready (its identity provider answers) and serves its page.
      expect((await fetch(`http://127.0.0.1:${ports.CONSOLE_PORT}/health/ready`)).status).toBe(200);
      const page = await fetch(`http://127.0.0.1:${ports.CONSOLE_PORT}/`);
      expect({ status: page.status, html: (await page.text()).includes('<title>Shop console</title>') }).toEqual({ status: 200, html: true });
      expect(output).toContain(`http://127.0.0.1:${ports.CONSOLE_PORT}`);
      const jaeger = await fetch(`http://127.0.0.1:${ports.JAEGER_QUERY_PORT}/api/services`);
      expect(jaeger.status).toBe(200);
      const mailpit = await fetch(`http://127.0.0.1:${ports.MAILPIT_HTTP_PORT}/api/v1/messages`);
      expect(mailpit.status).toBe(200);
      expect(output).toContain(`http://127.0.0.1:${ports.ORDER_PORT}`);
      expect(output).toContain(`http://127.0.0.1:${ports.JAEGER_QUERY_PORT}`);
      expect(output).toContain(`http://127.0.0.1:${ports.KEYCLOAK_PORT}/realms/shop`);
      // The schema registry holds every message version (registered before the services started,
      // each of which checked the schemas it sends at boot), and the banner says where it is.
      const registry = `http://127.0.0.1:${ports.REGISTRY_PORT}/apis/ccompat/v7`;
      expect(output).toContain(registry);
      expect(output).toMatch(/message schemas in the registry: \d+ registered, \d+ unchanged, 0 refused/);
      const subjects = (await (await fetch(`${registry}/subjects`)).json()) as string[];
      expect(subjects).toEqual(expect.arrayContaining(['order.placed.v1', 'order.confirmed.v1', 'order.confirmed.v2', 'inventory.product-catalog-updated.v1']));
    } finally {
      if (shop.pid) process.kill(-shop.pid, 'SIGINT');
    }

    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([closed, new Promise((r) => (timer = setTimeout(() => r('timeout'), 90_000)))]);
    clearTimeout(timer);
    // npm itself dies of the SIGINT, as it does in a terminal; the supervisor finishes the shutdown.
    expect(['0', 'SIGINT']).toContain(ended);
    expect(output).toContain('stopped everything this command started');

    expect(output).toContain('reusing running infrastructure: postgres');
    for (const [name, port] of Object.entries(ports)) {
      expect({ name, open: await portOpen(port) }).toEqual({ name, open: name === 'PGPORT' });
    }
    infra('stop', 'postgres');
    expect(await portOpen(ports.PGPORT)).toBe(false);
    expect(processesMentioning(runDir)).toEqual([]);
  });
});
