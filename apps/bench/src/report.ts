import type { ShopTotals } from '@shop/testing';
import type { cpuPerOrder, PhaseResult } from './phase';
import { FINAL_WITHIN_MS, P99_LIMIT_MS } from './phase';
import type { ProfileEntry } from './profile';
import { round, type Percentiles } from './stats';

type Measured = PhaseResult & { cpuPerOrder: ReturnType<typeof cpuPerOrder> };

export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string; gitCommit: string };
  settings: Record<string, unknown> & { rate: number; seconds: number; sustainRate: number; sustainSeconds: number; pollIntervalMs: number; quick: boolean };
  idleMsPerSecond: Record<string, number>;
  idleKafkaRequestsPerSecond: Record<string, number>;
  latency: Measured;
  /** The latency run's most frequent SQL statements, per order. */
  statements: Array<{ database: string; query: string; perOrder: number; meanMs: number }>;
  ramp: Measured[];
  sustainedRate: number;
  sustain: Measured | null;
  invariants: ShopTotals;
  baseline: { latency: Measured; invariants: ShopTotals } | null;
  profiles: Record<string, { functions: ProfileEntry[]; origins: ProfileEntry[]; totalMs: number }> | null;
  /** `--cluster`: the same runs on three Kafka nodes and two replicas of each service. */
  cluster: { idleMsPerSecond: Record<string, number>; latency: Measured; ramp: Measured[]; sustainedRate: number; invariants: ShopTotals } | null;
}

/** The spec's bars (../README "Performance"), checked against what was measured. */
export function targets(r: BenchReport): Array<{ target: string; measured: string; met: boolean }> {
  const l = r.latency.confirmLatencyMs;
  const ack = r.latency.hops?.commitToAck;
  const ratio = r.baseline?.latency.confirmLatencyMs && l ? r.baseline.latency.confirmLatencyMs.p50 / l.p50 : null;
  return [
    {
      target: `>= 100 orders/s sustained for 60 s, every order final`,
      measured: r.sustain ? `${r.sustain.offeredRate}/s for ${r.sustain.seconds} s: ${r.sustain.sustained ? 'sustained' : 'not sustained'}` : `highest sustained ramp step ${r.sustainedRate}/s`,
      met: !!r.sustain?.sustained && r.sustain.offeredRate >= 100 && r.sustain.seconds >= 60,
    },
    { target: '<= 20 ms CPU per order, all processes', measured: `${r.latency.cpuPerOrder.total.measured} ms (idle share removed: ${r.latency.cpuPerOrder.total.net} ms)`, met: r.latency.cpuPerOrder.total.measured <= 20 },
    { target: `POST -> CONFIRMED p50 <= 40 ms at 20/s`, measured: l ? `${round(l.p50)} ms at ${r.latency.offeredRate}/s` : 'no confirmed order', met: !!l && l.p50 <= 40 && r.latency.offeredRate >= 20 },
    { target: `POST -> CONFIRMED p99 <= 150 ms at 20/s`, measured: l ? `${round(l.p99)} ms` : '-', met: !!l && l.p99 <= 150 && r.latency.offeredRate >= 20 },
    { target: 'relay commit -> broker ack p50 <= 3 ms', measured: ack ? `${round(ack.p50, 2)} ms (${ack.n} hops)` : 'not measured', met: !!ack && ack.p50 <= 3 },
    { target: '>= 10x lower saga latency than a 500 ms polling relay', measured: ratio ? `${round(ratio, 1)}x (p50 ${round(r.baseline?.latency.confirmLatencyMs?.p50 ?? 0)} vs ${round(l?.p50 ?? 0)} ms)` : 'no baseline', met: !!ratio && ratio >= 10 },
    { target: 'invariants hold', measured: [r.invariants, r.baseline?.invariants].filter(Boolean).every((i) => i?.problems.length === 0) ? 'yes' : 'NO', met: [r.invariants, r.baseline?.invariants].filter(Boolean).every((i) => i?.problems.length === 0) },
  ];
}

const ms = (p: Percentiles | null | undefined) => (p ? `${round(p.p50)} / ${round(p.p95)} / ${round(p.p99)} / ${round(p.max)}` : '-');
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function markdownReport(r: BenchReport): string {
  const processes = Object.keys(r.latency.cpuPerOrder.measured);
  const phases = [r.latency, ...r.ramp, ...(r.sustain ? [r.sustain] : []), ...(r.baseline ? [r.baseline.latency] : [])];
  const out: string[] = [];
  out.push(`# npm run bench: ${r.startedAt}${r.settings.quick ? ' (quick smoke run: figures not comparable)' : ''}`);
  out.push('');
  out.push(
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB; Node ${r.machine.node}; commit ${r.machine.gitCommit}. ` +
      `Everything on this machine: the five services, Postgres (synchronous_commit ${String((r.settings['durability'] as Record<string, string>).synchronousCommit)}, ` +
      `fsync ${String((r.settings['durability'] as Record<string, string>).fsync)}), Kafka (acks=all, idempotent producer), Jaeger (100% sampling), Mailpit, and this load generator. ` +
      `Order mix: ${String(r.settings['mix'])}. Service settings added: ${JSON.stringify(r.settings['serviceEnv'] ?? {})}. Run took ${r.durationS} s.`,
  );
  out.push('');
  out.push('## Targets');
  out.push(table(['target', 'measured', 'met'], targets(r).map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**'])));
  out.push('');
  out.push('## Latency and throughput per run');
  out.push(`POST -> CONFIRMED from each order's own timeline (p50 / p95 / p99 / max, ms). Sustained: every order final within ${FINAL_WITHIN_MS / 1000} s of the last POST and p99 <= ${P99_LIMIT_MS} ms.`);
  out.push('');
  out.push(
    table(
      ['run', 'offered', 'accepted', '5xx', `final in ${FINAL_WITHIN_MS / 1000} s`, 'all final after', 'completed/s', 'POST -> CONFIRMED', 'sustained'],
      phases.map((p) => [p.name, `${p.offered} (${p.offeredRate}/s x ${p.seconds} s)`, p.accepted, p.serverErrors, p.finalWithin10s, p.allFinalAfterS === null ? 'never' : `${p.allFinalAfterS} s`, p.completedRate ?? '-', ms(p.confirmLatencyMs), p.sustained ? 'yes' : 'no']),
    ),
  );
  out.push('');
  out.push(`Highest sustained ramp step: **${r.sustainedRate} orders/s**.`);
  for (const [name, hops] of [['latency run', r.latency.hops], ['baseline', r.baseline?.latency.hops]] as const) {
    if (!hops) continue;
    out.push('');
    out.push(`## Per hop (${name}): ${hops.orders} orders' traces from Jaeger, ${round(hops.hopsPerOrder, 1)} saga hops each (p50 / p95 / p99 / max, ms)`);
    out.push(
      table(
        ['part of a hop', 'ms'],
        [
          ['relay wait (writing span ended -> publish starts)', ms(hops.relayWait)],
          ['publish (send -> broker ack, acks=all)', ms(hops.publish)],
          ['commit -> ack (the two above)', ms(hops.commitToAck)],
          ['Kafka (ack -> consumer starts)', ms(hops.kafka)],
          ['handler (decode, validate, one transaction)', ms(hops.handler)],
        ],
      ),
    );
  }
  out.push('');
  out.push(`## CPU per order (ms), ${r.latency.name}`);
  out.push(
    `From /proc (utime+stime of each process tree, Postgres backends included), over the window from the first POST until every order was delivered or rejected, its emails sent and every outbox empty; ` +
      `"idle" is what the same process uses doing nothing over as long (measured apart: ${round(Object.values(r.idleMsPerSecond).reduce((a, b) => a + b, 0))} ms of CPU per second in all).`,
  );
  out.push('');
  const cpuRuns = [r.latency, ...r.ramp.filter((s) => s.sustained).slice(-1), ...(r.baseline ? [r.baseline.latency] : [])];
  out.push(
    table(
      ['process', ...cpuRuns.map((p) => `${p.name}: measured (idle share)`)],
      [
        ...processes.map((name) => [name, ...cpuRuns.map((p) => `${p.cpuPerOrder.measured[name]} (${p.cpuPerOrder.idle[name]})`)]),
        ['**all**', ...cpuRuns.map((p) => `**${p.cpuPerOrder.total.measured}** (net ${p.cpuPerOrder.total.net})`)],
      ],
    ),
  );
  out.push('');
  out.push('## Work per order');
  out.push(
    table(
      ['run', 'Kafka messages produced', 'deliveries handled', 'SQL statements', 'transactions'],
      phases.map((p) => [p.name, p.perOrder.kafkaMessages, p.perOrder.deliveries, p.perOrder.sqlStatements, p.perOrder.transactions]),
    ),
  );
  out.push('');
  const requests = r.latency.perOrder.kafkaRequests;
  const kinds = [...new Set([...Object.keys(requests), ...Object.keys(r.idleKafkaRequestsPerSecond)])].sort((a, b) => (requests[b] ?? 0) - (requests[a] ?? 0));
  out.push(`Kafka requests the services' relays and consumers sent (shop_kafka_requests_total), per order in the ${r.latency.name} run and per second idle:`);
  out.push('');
  out.push(
    table(
      ['client and API', `per order, ${r.latency.name}`, 'per second, idle'],
      [...kinds.map((k) => [k, requests[k] ?? 0, r.idleKafkaRequestsPerSecond[k] ?? 0]), ['**all**', round(sum(Object.values(requests)), 2), round(sum(Object.values(r.idleKafkaRequestsPerSecond)), 2)]],
    ),
  );
  out.push('');
  out.push(`Most frequent statements in the ${r.latency.name} run (per order; mean execution ms):`);
  out.push('');
  out.push(table(['database', 'statement', 'per order', 'mean ms'], r.statements.map((st) => [st.database, `\`${st.query.replace(/\|/g, '\\|')}\``, st.perOrder, st.meanMs])));
  if (r.cluster) out.push('', ...clusterSection(r, r.cluster));
  out.push('');
  out.push('## Invariants');
  for (const [name, inv] of [['after the notify-relay runs', r.invariants], ['after the baseline', r.baseline?.invariants], ['on the cluster', r.cluster?.invariants]] as const) {
    if (inv) out.push(`- ${name}: ${inv.problems.length === 0 ? `hold over ${inv.orders} orders (stock conserved, charges - refunds = kept totals, one live shipment per kept order, no email twice)` : `VIOLATED: ${inv.problems.join('; ')}`}`);
  }
  if (r.profiles) {
    out.push('');
    out.push('## CPU profiles (self time over the whole run, per service)');
    for (const [service, p] of Object.entries(r.profiles)) {
      out.push('');
      out.push(`### ${service}: ${p.totalMs} ms sampled`);
      out.push(table(['where', 'self ms', '%'], p.origins.slice(0, 8).map((o) => [o.what, o.selfMs, o.share])));
      out.push('');
      out.push(table(['function', 'self ms', '%'], p.functions.slice(0, 8).map((o) => [o.what, o.selfMs, o.share])));
    }
  }
  out.push('');
  return out.join('\n');
}

/** `--cluster`: the cluster's runs beside the single-node ones, then its CPU per order by process. */
function clusterSection(r: BenchReport, c: NonNullable<BenchReport['cluster']>): string[] {
  const idle = (m: Record<string, number>) => round(sum(Object.values(m)));
  const highestStep = (steps: Measured[]) => steps.filter((s) => s.sustained).slice(-1)[0];
  const single = highestStep(r.ramp);
  const clustered = highestStep(c.ramp);
  const row = (what: string, a: string | number, b: string | number) => [what, a, b];
  const p = (m: Measured) => (m.confirmLatencyMs ? `${round(m.confirmLatencyMs.p50)} / ${round(m.confirmLatencyMs.p99)}` : '-');
  const cpu = (m: Measured | undefined) => (m ? `${m.cpuPerOrder.total.measured} (net ${m.cpuPerOrder.total.net})` : '-');
  const out = ['## Three Kafka nodes and two replicas of each service (--cluster)'];
  out.push(
    `The same runs on the topology of \`npm run shop -- --brokers 3 --replicas 2\` (topics with 12 partitions, 3 copies, min.insync.replicas 2; ` +
      `orders offered through both order replicas in turn), started after the single-node shop had stopped. Jaeger samples every trace in both.`,
  );
  out.push('');
  out.push(
    table(
      ['', 'single node, one process per service', 'three Kafka nodes, two replicas'],
      [
        row('idle CPU, ms per second (all processes)', idle(r.idleMsPerSecond), idle(c.idleMsPerSecond)),
        row(`POST -> CONFIRMED p50 / p99 (ms), latency run at ${r.latency.offeredRate}/s`, p(r.latency), p(c.latency)),
        row(`CPU per order (ms), latency run at ${r.latency.offeredRate}/s`, cpu(r.latency), cpu(c.latency)),
        row('highest sustained ramp step (orders/s)', r.sustainedRate, c.sustainedRate),
        row('CPU per order (ms) at that step', cpu(single), cpu(clustered)),
      ],
    ),
  );
  out.push('');
  out.push(
    table(
      ['run', 'offered', 'accepted', '5xx', `final in ${FINAL_WITHIN_MS / 1000} s`, 'POST -> CONFIRMED', 'sustained'],
      [c.latency, ...c.ramp].map((m) => [m.name, `${m.offered} (${m.offeredRate}/s x ${m.seconds} s)`, m.accepted, m.serverErrors, m.finalWithin10s, ms(m.confirmLatencyMs), m.sustained ? 'yes' : 'no']),
    ),
  );
  out.push('');
  out.push(`CPU per order on the cluster, ${c.latency.name} (ms, measured (idle share)):`);
  out.push('');
  out.push(
    table(
      ['process', 'ms'],
      [...Object.keys(c.latency.cpuPerOrder.measured).map((name) => [name, `${c.latency.cpuPerOrder.measured[name]} (${c.latency.cpuPerOrder.idle[name]})`]), ['**all**', `**${c.latency.cpuPerOrder.total.measured}**`]],
    ),
  );
  return out;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
