import type { Shop } from '@shop/testing';
import { offer, type Mix, type OrderPath } from './load';
import { confirmLatencies, countIn, FINAL, hopSplit, messagesSince, readCounters, settled, usageBetween, type HopSplit, type Usage } from './measure';
import { percentiles, round, type Percentiles } from './stats';

/** Every order must be final this long after the last POST for a load step to count as sustained. */
export const FINAL_WITHIN_MS = 10_000;
/** A step whose POST -> CONFIRMED p99 is above this is not sustained. */
export const P99_LIMIT_MS = 1000;
/** How long a phase may take to settle before the benchmark gives up on it. */
const SETTLE_LIMIT_MS = 5 * 60_000;

export interface PhaseOptions {
  name: string;
  rate: number;
  seconds: number;
  mix: Mix;
  /** Orders whose traces are read from Jaeger for the per-hop split (0: none). */
  traceSample: number;
}

export interface PhaseResult {
  name: string;
  offeredRate: number;
  seconds: number;
  offered: number;
  accepted: number;
  /** Answers other than 202, by status (or network error code). */
  refused: Record<string, number>;
  serverErrors: number;
  byPath: Partial<Record<OrderPath, number>>;
  /** Final (CONFIRMED or beyond, REJECTED, CANCELLED) within 10 s of the last POST. */
  finalWithin10s: number;
  /** Seconds from the first POST until every order was final. */
  allFinalAfterS: number | null;
  /** Accepted orders divided by the time from the first POST until all were final. */
  completedRate: number | null;
  statuses: Record<string, number>;
  confirmLatencyMs: Percentiles | null;
  hops: HopSplit | null;
  /** Over the window from the first POST until everything the orders caused was done. */
  usage: Usage;
  perOrder: { kafkaMessages: number; deliveries: number; sqlStatements: number; transactions: number; kafkaRequests: Record<string, number> };
  sustained: boolean;
}

export type Progress = (message: string) => void;

/** Offers one load, waits until it has settled, and measures it. */
export async function runPhase(shop: Shop, roots: Record<string, number>, run: string, firstIndex: number, options: PhaseOptions, progress: Progress): Promise<PhaseResult> {
  const since = new Date();
  const before = await readCounters(shop, roots);
  // Through every order replica in turn (one unless the shop runs replicas).
  const offered = await offer(shop.urls('order'), shop.tokens, run, options.rate, options.seconds, options.mix, firstIndex, (sent, total) =>
    progress(`${options.name}: ${sent}/${total} orders offered`),
  );
  const lastPost = Date.now();
  const ids = offered.flatMap((o) => (o.orderId ? [o.orderId] : []));

  // Final within 10 s of the last POST?
  let finalWithin10s = 0;
  while (Date.now() - lastPost < FINAL_WITHIN_MS) {
    finalWithin10s = await countIn(shop, ids, FINAL);
    if (finalWithin10s === ids.length) break;
    await sleep(200);
  }
  let allFinalAt: number | null = finalWithin10s === ids.length ? Date.now() : null;
  // Then until everything is done (or the limit): the CPU window closes here.
  let lastReport = Date.now();
  while (!(await settled(shop, ids))) {
    if (allFinalAt === null && (await countIn(shop, ids, FINAL)) === ids.length) allFinalAt = Date.now();
    if (Date.now() - lastPost > SETTLE_LIMIT_MS) {
      progress(`${options.name}: not settled ${SETTLE_LIMIT_MS / 1000} s after the last order; measuring as it stands`);
      break;
    }
    if (Date.now() - lastReport > 5000) {
      progress(`${options.name}: ${await countIn(shop, ids, FINAL)}/${ids.length} final, waiting for shipping, emails and the outboxes`);
      lastReport = Date.now();
    }
    await sleep(200);
  }
  if (allFinalAt === null && (await countIn(shop, ids, FINAL)) === ids.length) allFinalAt = Date.now();
  const after = await readCounters(shop, roots);
  const usage = usageBetween(before, after);

  const refused: Record<string, number> = {};
  for (const o of offered) if (o.status !== 202) refused[String(o.status)] = (refused[String(o.status)] ?? 0) + 1;
  const byPath: Partial<Record<OrderPath, number>> = {};
  for (const o of offered) byPath[o.path] = (byPath[o.path] ?? 0) + 1;
  const statusRows = await shop.query<{ status: string; n: string }>('order', 'SELECT status, count(*) AS n FROM order_view WHERE id = ANY($1::text[]) GROUP BY status ORDER BY status', [ids]);
  const latencies = await confirmLatencies(shop, ids);
  const confirmLatencyMs = percentiles(latencies.map((l) => l.ms));
  const hops = options.traceSample > 0 && latencies.length > 0 ? await hopSplit(shop, latencies, options.traceSample) : null;
  const messages = await messagesSince(shop, since);
  const per = (n: number) => (ids.length ? round(n / ids.length, 2) : 0);
  const firstPost = before.at;
  const allFinalAfterS = allFinalAt === null ? null : round((allFinalAt - firstPost) / 1000, 2);
  const serverErrors = offered.filter((o) => typeof o.status === 'number' && o.status >= 500).length;
  return {
    name: options.name,
    offeredRate: options.rate,
    seconds: options.seconds,
    offered: offered.length,
    accepted: ids.length,
    refused,
    serverErrors,
    byPath,
    finalWithin10s,
    allFinalAfterS,
    completedRate: allFinalAfterS ? round(ids.length / allFinalAfterS, 1) : null,
    statuses: Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)])),
    confirmLatencyMs,
    hops,
    usage,
    perOrder: { kafkaMessages: per(messages.produced), deliveries: per(messages.handled), sqlStatements: per(usage.statements), transactions: per(usage.transactions),
      kafkaRequests: Object.fromEntries(Object.entries(usage.kafkaRequests).map(([key, n]) => [key, per(n)])),
    },
    sustained: ids.length === offered.length && finalWithin10s === ids.length && (confirmLatencyMs?.p99 ?? Infinity) <= P99_LIMIT_MS,
  };
}

/** CPU milliseconds per order for each process, with the idle cost over the same window taken out. */
export function cpuPerOrder(result: PhaseResult, idleMsPerSecond: Record<string, number>): { measured: Record<string, number>; idle: Record<string, number>; net: Record<string, number>; total: { measured: number; net: number } } {
  const measured: Record<string, number> = {};
  const idle: Record<string, number> = {};
  const net: Record<string, number> = {};
  for (const [name, ms] of Object.entries(result.usage.cpuMs)) {
    const idleMs = (idleMsPerSecond[name] ?? 0) * result.usage.seconds;
    measured[name] = round(ms / result.accepted, 2);
    idle[name] = round(idleMs / result.accepted, 2);
    net[name] = round(Math.max(0, ms - idleMs) / result.accepted, 2);
  }
  const sum = (r: Record<string, number>) => round(Object.values(r).reduce((a, b) => a + b, 0), 1);
  return { measured, idle, net, total: { measured: sum(measured), net: sum(net) } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
