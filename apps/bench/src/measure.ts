import { ANALYTICS, queryDatabase, SERVICES, type Shop } from '@shop/testing';
import { cpuDelta, cpuMs } from './cpu';
import { sagaHops, type Hop, type JaegerSpan } from './hops';
import { percentiles, type Percentiles } from './stats';

/** The processes whose CPU the benchmark counts: the five services, analytics and the infrastructure. */
export function processRoots(shop: Shop): Record<string, number> {
  const roots: Record<string, number> = {};
  // Every replica of each service (order, order-2, ...), and each Kafka node of a cluster (kafka-1, ...).
  for (const name of SERVICES) for (const p of shop.replicasOf(name)) roots[p.id] = p.child.pid ?? -1;
  roots[ANALYTICS] = shop.analytics?.child.pid ?? -1;
  const kafkaNodes = shop.local.kafka.nodes;
  if (kafkaNodes.length > 1) kafkaNodes.forEach((node, i) => (roots[node.name] = shop.kafkaNodePid(i + 1)));
  else roots['kafka'] = shop.infraPid('kafka');
  for (const component of ['postgres', 'jaeger', 'mailpit'] as const) roots[component] = shop.infraPid(component);
  return roots;
}

/** Counters read before and after a phase. */
export interface Counters {
  at: number;
  cpu: Record<string, number>;
  /** pg_stat_statements calls and committed transactions in the shop's five databases. */
  statements: number;
  transactions: number;
  /** Requests the five services' relays and consumers sent to Kafka, by "client API" (their metrics). */
  kafkaRequests: Record<string, number>;
}

export async function readCounters(shop: Shop, roots: Record<string, number>): Promise<Counters> {
  const [row] = await queryDatabase<{ statements: string; transactions: string }>(
    adminUrl(shop),
    `SELECT (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname LIKE 'shop\\_%') AS statements,
            (SELECT coalesce(sum(xact_commit), 0) FROM pg_stat_database WHERE datname LIKE 'shop\\_%') AS transactions`,
  );
  return { at: Date.now(), cpu: cpuMs(roots), statements: Number(row.statements), transactions: Number(row.transactions), kafkaRequests: await kafkaRequests(shop) };
}

/** shop_kafka_requests_total of every service (each replica), summed by "client API" (for example "consumer Fetch"). */
export async function kafkaRequests(shop: Shop): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (const name of SERVICES) {
    for (const url of shop.urls(name)) {
      const res = await fetch(`${url}/metrics`);
      if (!res.ok) throw new Error(`${name} at ${url}: /metrics answered ${res.status}`);
      for (const [key, n] of Object.entries(parseKafkaRequests(await res.text()))) total[key] = (total[key] ?? 0) + n;
    }
  }
  return total;
}

/** The shop_kafka_requests_total samples of one Prometheus text exposition, by "client API". */
export function parseKafkaRequests(exposition: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    const m = /^shop_kafka_requests_total\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels['client']} ${labels['api']}`;
    found[key] = (found[key] ?? 0) + Number(m[2]);
  }
  return found;
}

export type StatementCalls = Map<string, { database: string; query: string; calls: number; totalMs: number }>;

/** Every statement pg_stat_statements has seen in the shop's databases, by database and query id. */
export async function statementCalls(shop: Shop): Promise<StatementCalls> {
  const rows = await queryDatabase<{ key: string; database: string; query: string; calls: string; total_ms: number }>(
    adminUrl(shop),
    `SELECT d.datname || ':' || s.queryid AS key, d.datname AS database, s.query, s.calls, s.total_exec_time AS total_ms
     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname LIKE 'shop\\_%'`,
  );
  return new Map(rows.map((r) => [r.key, { database: r.database, query: r.query, calls: Number(r.calls), totalMs: Number(r.total_ms) }]));
}

/** The statements run most often between two snapshots, per order. */
export function topStatements(before: StatementCalls, after: StatementCalls, orders: number, top = 15): Array<{ database: string; query: string; perOrder: number; meanMs: number }> {
  return [...after.entries()]
    .map(([key, a]) => {
      const b = before.get(key);
      const calls = a.calls - (b?.calls ?? 0);
      const ms = a.totalMs - (b?.totalMs ?? 0);
      return { database: a.database.replace(/^shop_/, ''), query: a.query.replace(/\s+/g, ' ').slice(0, 140), perOrder: Math.round((calls / orders) * 100) / 100, meanMs: calls ? Math.round((ms / calls) * 1000) / 1000 : 0 };
    })
    .filter((s) => s.perOrder > 0)
    .sort((x, y) => y.perOrder - x.perOrder)
    .slice(0, top);
}

/** The superuser's URL of the shop's `postgres` database (over TLS as the shop's clients). */
export function adminUrl(shop: Shop): string {
  return shop.local.postgres.url('postgres');
}

/** Counting statements needs the extension (its library is preloaded by scripts/infra). */
export async function enableStatementCounting(shop: Shop): Promise<void> {
  await queryDatabase(adminUrl(shop), 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}

export interface Usage {
  seconds: number;
  /** CPU milliseconds per process over the window. */
  cpuMs: Record<string, number>;
  statements: number;
  transactions: number;
  kafkaRequests: Record<string, number>;
}

export function usageBetween(before: Counters, after: Counters): Usage {
  const kafkaRequests: Record<string, number> = {};
  for (const [key, n] of Object.entries(after.kafkaRequests)) {
    const delta = n - (before.kafkaRequests[key] ?? 0);
    if (delta > 0) kafkaRequests[key] = delta;
  }
  return {
    seconds: (after.at - before.at) / 1000,
    cpuMs: cpuDelta(before.cpu, after.cpu),
    statements: after.statements - before.statements,
    transactions: after.transactions - before.transactions,
    kafkaRequests,
  };
}

/** Kafka messages produced (outbox rows) and consumer deliveries handled (inbox rows) since `since`, over the five services. */
export async function messagesSince(shop: Shop, since: Date): Promise<{ produced: number; handled: number }> {
  let produced = 0;
  let handled = 0;
  for (const name of SERVICES) {
    const [row] = await shop.query<{ produced: string; handled: string }>(
      name,
      `SELECT (SELECT count(*) FROM outbox_message WHERE created_at >= $1) AS produced, (SELECT count(*) FROM inbox_message WHERE received_at >= $1) AS handled`,
      [since],
    );
    produced += Number(row.produced);
    handled += Number(row.handled);
  }
  return { produced, handled };
}

/** Where an order's saga and emails end: nothing more happens to it (the bench's and chaos' shops deliver every kept order). */
export const SETTLED = ['DELIVERED', 'REJECTED', 'CANCELLED'];
export const FINAL = ['CONFIRMED', 'SHIPPED', ...SETTLED];

/** How many of `ids` have reached one of `statuses`. */
export async function countIn(shop: Shop, ids: string[], statuses: string[]): Promise<number> {
  const [row] = await shop.query<{ n: string }>('order', `SELECT count(*) AS n FROM order_view WHERE id = ANY($1::text[]) AND status = ANY($2)`, [ids, statuses]);
  return Number(row.n);
}

/**
 * True when everything the orders caused is done: each is DELIVERED, REJECTED or CANCELLED, no
 * email waits to be sent and no outbox row to be published. The CPU window ends here, so an
 * order's cost includes its shipping, its emails and every message it caused.
 */
export async function settled(shop: Shop, ids: string[]): Promise<boolean> {
  if ((await countIn(shop, ids, SETTLED)) < ids.length) return false;
  const [mail] = await shop.query<{ n: string }>('notification', `SELECT count(*) AS n FROM notification WHERE status = 'PENDING'`);
  if (Number(mail.n) > 0) return false;
  for (const name of SERVICES) {
    const [row] = await shop.query<{ n: string }>(name, `SELECT count(*) AS n FROM outbox_message WHERE published_at IS NULL`);
    if (Number(row.n) > 0) return false;
  }
  return true;
}

/** POST -> CONFIRMED per order, from its own timeline in the read model (placed_at to the OrderConfirmed entry). */
export async function confirmLatencies(shop: Shop, ids: string[]): Promise<Array<{ id: string; ms: number; confirmedAt: Date }>> {
  const rows = await shop.query<{ id: string; ms: number; confirmed_at: Date }>(
    'order',
    `SELECT v.id, extract(epoch FROM (e->>'at')::timestamptz - v.placed_at) * 1000 AS ms, (e->>'at')::timestamptz AS confirmed_at
     FROM order_view v, jsonb_array_elements(v.timeline) e WHERE v.id = ANY($1::text[]) AND e->>'event' = 'OrderConfirmed'`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, ms: Number(r.ms), confirmedAt: new Date(r.confirmed_at) }));
}

export interface HopSplit {
  orders: number;
  hopsPerOrder: number;
  relayWait: Percentiles | null;
  publish: Percentiles | null;
  /** relayWait + publish: from the row's commit (the end of the span that wrote it) to the broker's ack. */
  commitToAck: Percentiles | null;
  kafka: Percentiles | null;
  handler: Percentiles | null;
}

/** Reads the traces of a sample of confirmed orders from Jaeger and splits their saga hops. */
export async function hopSplit(shop: Shop, confirmed: Array<{ id: string; confirmedAt: Date }>, sample: number): Promise<HopSplit> {
  const step = Math.max(1, Math.floor(confirmed.length / Math.max(1, sample)));
  const chosen = confirmed.filter((_, i) => i % step === 0).slice(0, sample);
  const hops: Hop[] = [];
  let orders = 0;
  for (const order of chosen) {
    const tags = encodeURIComponent(JSON.stringify({ 'shop.order_id': order.id }));
    const res = await fetch(`${shop.jaegerUrl}/api/traces?service=order&lookback=1h&limit=5&tags=${tags}`);
    const traces = ((await res.json()) as { data: Array<{ spans: JaegerSpan[] }> }).data;
    const root = traces.find((t) => t.spans.some((s) => (s.references ?? []).length === 0 && s.operationName.startsWith('POST')));
    if (!root) continue;
    const found = sagaHops(root.spans, order.confirmedAt.getTime() * 1000);
    if (found.length === 0) continue;
    orders++;
    hops.push(...found);
  }
  const of = (key: keyof Omit<Hop, 'topic'>) => percentiles(hops.map((h) => h[key]).filter((v) => Number.isFinite(v)));
  return {
    orders,
    hopsPerOrder: orders ? hops.length / orders : 0,
    relayWait: of('relayWait'),
    publish: of('publish'),
    commitToAck: percentiles(hops.map((h) => h.relayWait + h.publish).filter((v) => Number.isFinite(v))),
    kafka: of('kafka'),
    handler: of('handler'),
  };
}
