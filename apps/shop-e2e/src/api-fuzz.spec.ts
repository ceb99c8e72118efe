import { expectInvariants, OPS_CLIENT, repoRoot, Shop, subjectOf } from '@shop/testing';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderBody, OrdersApi } from './support/api';

/**
 * The order API under a fuzzer: schemathesis (PyPI, provisioned by scripts/infra/provision.sh
 * into the cache) reads the OpenAPI document the service serves and sends generated requests,
 * valid and invalid, as the customer alice, with every check it has (`--checks all`): no 5xx,
 * every status code, content type, header and body as documented, invalid input refused, valid
 * input accepted (business refusals as configured in apps/shop-e2e/schemathesis.toml), 405 for
 * a method a path does not have, 401 without the token. Then this suite checks what schemathesis
 * cannot see: no rejected request changed anything, and the shop still adds up.
 */
const SCHEMATHESIS = join(process.env['SHOP_CACHE_DIR'] ?? join(homedir(), '.cache/shop-platform'), 'schemathesis-4.32.5/bin/st');
/** Generated cases per operation and phase at most: about 1,100 requests as alice (30 s), well inside a token's 5 minutes. */
const MAX_EXAMPLES = 100;

const shop = new Shop({
  servicePortBase: 23400,
  infraPorts: {
    PGPORT: 25436,
    KAFKA_PORT: 29492,
    KAFKA_CONTROLLER_PORT: 29493,
    JAEGER_OTLP_GRPC_PORT: 24617,
    JAEGER_OTLP_HTTP_PORT: 24618,
    JAEGER_QUERY_PORT: 26986,
    JAEGER_QUERY_GRPC_PORT: 26985,
    SMTP_PORT: 21325,
    MAILPIT_HTTP_PORT: 28325,
    KEYCLOAK_PORT: 28380,
  },
  // The fuzzer sends far more than a customer's per-minute budget; the limit has its own tests.
  env: { order: { ORDER_RATE_LIMIT_PER_MINUTE: '0' } },
});
const api = new OrdersApi(shop);
const alice = subjectOf('alice');

/** One request and its answer, as schemathesis' HAR report records them. */
interface Exchange {
  method: string;
  path: string;
  status: number;
  responseBody: string;
}

let reportDir: string;

beforeAll(async () => {
  execFileSync('bash', ['scripts/infra/provision.sh', 'schemathesis'], { cwd: repoRoot, stdio: 'inherit' });
  reportDir = mkdtempSync(join(tmpdir(), 'shop-fuzz-'));
  await shop.start();
}, 600_000);

afterAll(async () => {
  await shop.stop();
  rmSync(reportDir, { recursive: true, force: true });
}, 120_000);

describe('the order API under schemathesis --checks all', () => {
  /** What schemathesis sent as alice, a customer (every operation), then as an admin, the ops client (/admin only). */
  let asCustomer: Exchange[];
  let asAdmin: Exchange[];
  let ordersBefore: string[];
  let faultsAfterCustomerRun: unknown;
  let faultsAfterAdminRun: unknown;

  beforeAll(async () => {
    // One real order first, so listing and reading have something to find.
    ordersBefore = [await api.placeOk(orderBody())];
    asCustomer = await fuzz('alice', 'customer');
    faultsAfterCustomerRun = await faults();
    // The fault switch as its admin: random settings are put in force, so it runs alone, in order, then is switched off.
    asAdmin = await fuzz(OPS_CLIENT, 'admin', ['--include-path-regex', '^/admin/', '--workers', '1']);
    faultsAfterAdminRun = await faults();
    await shop.setFaults('order', { delayMs: 0, failureRate: 0 });
  }, 420_000);

  it('exercised every documented operation with many requests', () => {
    const operations = new Set([...asCustomer, ...asAdmin].map((e) => `${e.method} ${e.path.replace(/^\/orders\/[^/]+/, '/orders/{id}')}`));
    for (const op of ['POST /orders', 'GET /orders', 'GET /orders/{id}', 'GET /orders/{id}/history', 'POST /orders/{id}/cancel', 'GET /products', 'GET /admin/faults', 'PUT /admin/faults']) {
      expect(operations).toContain(op);
    }
    expect(asCustomer.length).toBeGreaterThan(500);
    // Distinct orders, not answers: the fuzzer often repeats an accepted request with its Idempotency-Key (the same order again).
    expect(acceptedOrders(asCustomer).size).toBeGreaterThan(5);
    expect(asAdmin.filter((e) => e.method === 'PUT' && e.status === 200).length).toBeGreaterThan(10);
  });

  it('no answer was a server error', () => {
    expect([...asCustomer, ...asAdmin].filter((e) => e.status >= 500).map((e) => `${e.method} ${e.path} -> ${e.status}`)).toEqual([]);
  });

  it('a rejected request changed nothing: every stored order and cancellation is one the API accepted', async () => {
    const accepted = new Set([...ordersBefore, ...acceptedOrders(asCustomer)]);
    const stored = await shop.query<{ id: string }>('order', 'SELECT id FROM orders WHERE customer_id = $1', [alice]);
    expect(new Set(stored.map((o) => o.id))).toEqual(accepted);

    const cancelled = asCustomer.filter((e) => e.method === 'POST' && /^\/orders\/[^/]+\/cancel$/.test(e.path) && e.status === 202);
    const cancelsStored = await shop.query<{ order_id: string }>('order', `SELECT DISTINCT order_id FROM order_event WHERE type = 'CancelRequested'`);
    expect(new Set(cancelsStored.map((c) => c.order_id))).toEqual(new Set(cancelled.map((e) => e.path.split('/')[2])));
  });

  it('the fault switch: untouched by a customer; as admin, in force is what the last accepted PUT answered', () => {
    expect(faultsAfterCustomerRun).toEqual({ delayMs: 0, failureRate: 0 });
    const lastAccepted = asAdmin.filter((e) => e.method === 'PUT' && e.status === 200).at(-1);
    expect(faultsAfterAdminRun).toEqual(JSON.parse(lastAccepted?.responseBody ?? 'null'));
  });

  it('the shop still adds up once the accepted orders have run their sagas', async () => {
    const totals = await expectInvariants(shop, 120_000);
    expect(totals.orders).toBe(new Set([...ordersBefore, ...acceptedOrders(asCustomer)]).size);
  }, 180_000);
});

/** The ids of the orders the API accepted (202) in these exchanges. */
function acceptedOrders(exchanges: Exchange[]): Set<string> {
  const accepted = exchanges.filter((e) => e.method === 'POST' && e.path === '/orders' && e.status === 202);
  return new Set(accepted.map((e) => (JSON.parse(e.responseBody) as { orderId: string }).orderId));
}

/** The order service's fault settings, read as the admin. */
async function faults(): Promise<unknown> {
  const res = await fetch(`${shop.url('order')}/admin/faults`, { headers: await shop.tokens.header(OPS_CLIENT) });
  return res.json();
}

/** One schemathesis run against the served document, signed in as `user`; the requests it sent. */
async function fuzz(user: string, name: string, extra: string[] = []): Promise<Exchange[]> {
  const har = join(reportDir, `${name}.har`);
  const run = await schemathesis([
    '--config-file',
    join(repoRoot, 'apps/shop-e2e/schemathesis.toml'),
    'run',
    `${shop.url('order')}/docs-json`,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${await shop.tokens.of(user)}`,
    '--max-examples',
    String(MAX_EXAMPLES),
    '--workers',
    '2',
    '--request-timeout',
    '10',
    '--report',
    'har',
    '--report-har-path',
    har,
    '--no-color',
    ...extra,
  ]);
  // The report from its FAILURES section on (above it: progress lines), else the closing summary.
  const failures = run.output.search(/=+ FAILURES =+/);
  const summary = failures >= 0 ? run.output.slice(failures) : run.output.split('\n').slice(-18).join('\n');
  process.stdout.write(`schemathesis as ${user} (exit ${run.code}):\n${summary}\n`);
  if (run.code !== 0) throw new Error(`schemathesis as ${user} found problems (exit ${run.code}); its report is printed above`);
  return readHar(har);
}

/** Runs schemathesis' CLI, keeping its output; resolves with the exit code. */
function schemathesis(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // In the report directory: schemathesis keeps its example database (.schemathesis/) in the working directory.
    const child = spawn(SCHEMATHESIS, args, { cwd: reportDir, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function readHar(path: string): Exchange[] {
  const har = JSON.parse(readFileSync(path, 'utf8')) as {
    log: {
      entries: Array<{
        request: { method: string; url: string };
        response: { status: number; content: { text?: string } };
      }>;
    };
  };
  return har.log.entries.map(({ request, response }) => ({
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    responseBody: response.content.text ?? '',
  }));
}
