// `npm run bench:saga -- [--rate N] [--seconds S] [--sku SKU]`: the whole saga under load, against
// the shop that `npm run shop` is running (order API on 127.0.0.1:3000, Postgres on 127.0.0.1:5432).
// Offers orders at a fixed rate (open loop: a slow shop does not slow the sender), waits until
// every one has reached a final state, then prints the completion rate and the server-side
// POST -> CONFIRMED latency, taken from the order's own timeline in the read model (placed_at to
// the OrderConfirmed entry), next to the targets in the spec.
// Without --rate it runs the spec's two scenarios: 20 orders/s for 15 s (latency) and
// 100 orders/s for 5 s (throughput).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ORDER_API = process.env.ORDER_API ?? 'http://127.0.0.1:3000';
const ORDER_DB = process.env.ORDER_DATABASE_URL ?? `postgres://postgres@127.0.0.1:${process.env.PGPORT ?? 5432}/shop_order`;
const FINAL_OR_BEYOND = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'REJECTED', 'CANCELLED'];

const { values } = parseArgs({ options: { rate: { type: 'string' }, seconds: { type: 'string' }, sku: { type: 'string', default: 'STICKER-PACK' } } });
const scenarios = values.rate
  ? [{ name: 'custom', rate: positive('--rate', values.rate), seconds: positive('--seconds', values.seconds ?? '10') }]
  : [
      { name: 'latency at 20 orders/s (spec: p50 <= 50 ms, p99 <= 200 ms)', rate: 20, seconds: 15 },
      { name: 'throughput at 100 orders/s offered (spec: >= 100 orders/s, every order final)', rate: 100, seconds: 5 },
    ];

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`${flag} must be a positive number, got "${text}"`);
  return n;
}

function fail(message: string): never {
  console.error(`[bench:saga] ${message}`);
  process.exit(2);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function available(sku: string): Promise<number> {
  const res = await fetch(`${ORDER_API}/products`).catch(() => fail(`no order API at ${ORDER_API}: start the shop first (npm run shop)`));
  const products = (await res.json()) as Array<{ sku: string; available: number }>;
  const product = products.find((p) => p.sku === sku);
  if (!product) fail(`no product ${sku} in the catalog (GET ${ORDER_API}/products)`);
  return product.available;
}

async function runScenario(db: pg.Client, scenario: { name: string; rate: number; seconds: number }): Promise<void> {
  const total = Math.round(scenario.rate * scenario.seconds);
  const stock = await available(values.sku);
  if (stock < total) fail(`${values.sku} has ${stock} available, the scenario needs ${total}: restart the shop with fresh data (rm -rf .run/infra) or pass --sku`);
  const runId = randomUUID().slice(0, 8);
  console.log(`[bench:saga] ${scenario.name}: ${total} orders of 1 x ${values.sku} at ${scenario.rate}/s (run ${runId})`);

  const started = performance.now();
  const refusedBy = new Map<string, number>();
  const refuse = (why: string) => void refusedBy.set(why, (refusedBy.get(why) ?? 0) + 1);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / scenario.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sends.push(
      fetch(`${ORDER_API}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-${i}` },
        body: JSON.stringify({
          customerId: `bench-${runId}-${i % 50}`,
          customerEmail: `bench-${i % 50}@example.com`,
          customerName: 'Bench',
          lines: [{ sku: values.sku, quantity: 1 }],
          shippingAddress: { name: 'Bench', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
          paymentMethod: 'card',
        }),
      }).then(
        (res) => void (res.status === 202 || refuse(`HTTP ${res.status}`)),
        (error: unknown) => refuse((error as { cause?: { code?: string } }).cause?.code ?? String(error)),
      ),
    );
  }
  await Promise.all(sends);
  const refused = [...refusedBy.values()].reduce((a, b) => a + b, 0);
  const accepted = total - refused;
  const offeredFor = (performance.now() - started) / 1000;

  const mine = `customer_id LIKE 'bench-${runId}-%'`;
  let lastReport = performance.now();
  for (;;) {
    const { rows } = await db.query<{ done: string }>(`SELECT count(*) AS done FROM order_view WHERE ${mine} AND status = ANY($1)`, [FINAL_OR_BEYOND]);
    const done = Number(rows[0].done);
    if (done >= accepted) break;
    if (performance.now() - lastReport > 5000) {
      console.log(`[bench:saga]   ${done}/${accepted} orders final after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      lastReport = performance.now();
    }
    if (performance.now() - started > 10 * 60_000) fail(`not every order was final after 10 minutes (${done}/${accepted})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const finalAfter = (performance.now() - started) / 1000;

  const { rows: statuses } = await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM order_view WHERE ${mine} GROUP BY status ORDER BY status`);
  const { rows: latencies } = await db.query<{ ms: number }>(
    `SELECT extract(epoch FROM (e->>'at')::timestamptz - v.placed_at) * 1000 AS ms
     FROM order_view v, jsonb_array_elements(v.timeline) e WHERE ${mine} AND e->>'event' = 'OrderConfirmed'`,
  );
  const ms = latencies.map((r) => Number(r.ms)).sort((a, b) => a - b);
  const why = [...refusedBy.entries()].map(([k, n]) => `${k} x${n}`).join(', ');
  console.log(`[bench:saga]   offered ${total} in ${offeredFor.toFixed(1)} s; ${accepted} accepted${refused ? `, ${refused} refused (${why})` : ''}`);
  console.log(`[bench:saga]   every accepted order final after ${finalAfter.toFixed(1)} s: ${(accepted / finalAfter).toFixed(1)} orders/s through the whole saga`);
  console.log(`[bench:saga]   ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`);
  if (ms.length > 0) {
    console.log(`[bench:saga]   POST -> CONFIRMED (server side): p50 ${percentile(ms, 0.5).toFixed(0)} ms, p95 ${percentile(ms, 0.95).toFixed(0)} ms, p99 ${percentile(ms, 0.99).toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms (n=${ms.length})`);
  }
}

const db = new pg.Client({ connectionString: ORDER_DB });
await db.connect().catch((error: unknown) => fail(`cannot reach the order database at ${ORDER_DB}: ${String(error)} (start the shop first: npm run shop)`));
try {
  for (const scenario of scenarios) await runScenario(db, scenario);
} finally {
  await db.end();
}
