// `npm run bench`: the shop under load, measured. Starts its own shop (the five built services
// on private ports, with their own Postgres, Kafka, Jaeger at 100% sampling and Mailpit, so it
// can run beside `npm run shop`), then, in one invocation: the idle cost, latency at a fixed rate
// with the per-hop split from Jaeger, a capacity ramp, a sustained run, CPU per order for every
// process, Kafka messages and SQL statements per order, the invariants, and the same latency run
// with the outbox relay polling every 500 ms as the baseline. Writes bench/results/<time>.json
// and .md. See the README's "Performance" section.
import { checkInvariants, queryDatabase, SERVICES, Shop, type ServiceName, type ShopTotals } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_SKU, parseMix, type Mix } from './load';
import { adminUrl, enableStatementCounting, processRoots, readCounters, statementCalls, topStatements, usageBetween } from './measure';
import { cpuPerOrder, runPhase, type PhaseOptions, type PhaseResult } from './phase';
import { readProfiles, summarise } from './profile';
import { machine } from './machine';
import { stopOnSignal } from './stop-on-signal';
import { markdownReport, type BenchReport } from './report';
import { sampleMemory, soakMarkdown, soakMinute, soakVerdict, type SoakMinute, type SoakReport } from './soak';
import { round } from './stats';

const repoRoot = resolve(__dirname, '../../..');
const started = Date.now();
const log = (message: string) => console.log(`[bench] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);

function fail(message: string): never {
  console.error(`[bench] ${message}`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '30' },
    ramp: { type: 'string', default: '20,40,80,120,160' },
    'step-seconds': { type: 'string', default: '30' },
    'sustain-rate': { type: 'string', default: '100' },
    'sustain-seconds': { type: 'string', default: '60' },
    mix: { type: 'string', default: 'happy=100' },
    'trace-sample': { type: 'string', default: '30' },
    baseline: { type: 'boolean', default: true },
    'no-baseline': { type: 'boolean', default: false },
    'poll-interval': { type: 'string', default: '500' },
    profile: { type: 'boolean', default: false },
    'service-env': { type: 'string', multiple: true, default: [] },
    quick: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '30' },
    cluster: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench -- [options]
  --rate N             latency run: orders per second (default 20)
  --seconds S          latency run: duration (default 30)
  --ramp A,B,...       capacity ramp: offered rates, each for --step-seconds (default 20,40,80,120,160)
  --step-seconds S     duration of each ramp step (default 30)
  --sustain-rate N     the sustained run's rate, run only if the ramp sustained it (default 100)
  --sustain-seconds S  the sustained run's duration (default 60)
  --mix P=W,...        share of orders down each path: happy, out-of-stock, declined, unshippable (default happy=100)
  --trace-sample N     orders of the latency run whose traces are split into hops (default 30)
  --no-baseline        skip the polling-relay baseline
  --poll-interval MS   the baseline relay's poll interval (default 500)
  --service-env K=V    a setting for every service (repeatable), e.g. TRACE_SQL_QUERIES=true or
                       OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1
  --profile            write CPU profiles of the five services (bench/profiles/, not committed) and summarise them
  --quick              a short smoke run (seconds instead of minutes; figures not comparable)
  --soak               instead of the runs above: --rate orders/s (default 20) for --soak-minutes, one minute
                       at a time, each service's memory read after every minute; writes soak-<time>.{md,json}
  --soak-minutes M     the soak's length (default 30; the verdict looks at the last 20 minutes)
  --cluster            then the same idle, latency and ramp runs once more on three Kafka nodes and two
                       replicas of each service (npm run shop -- --brokers 3 --replicas 2), side by side in the report
  --out DIR            where the reports go (default bench/results)`);
  process.exit(0);
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`--${flag} must be a positive number, got "${text}"`);
  return n;
}

const quick = args.quick;
const settings = {
  rate: quick ? 10 : positive('rate', args.rate),
  seconds: quick ? 5 : positive('seconds', args.seconds),
  ramp: (quick ? '10,20' : args.ramp).split(',').map((r) => positive('ramp', r)),
  stepSeconds: quick ? 5 : positive('step-seconds', args['step-seconds']),
  sustainRate: quick ? 10 : positive('sustain-rate', args['sustain-rate']),
  sustainSeconds: quick ? 5 : positive('sustain-seconds', args['sustain-seconds']),
  traceSample: quick ? 5 : Math.floor(Number(args['trace-sample'])),
  baseline: args.baseline && !args['no-baseline'],
  pollIntervalMs: positive('poll-interval', args['poll-interval']),
  profile: args.profile,
  quick,
  soakMinutes: Math.floor(positive('soak-minutes', args['soak-minutes'])),
  cluster: args.cluster,
};
if (args.cluster && args.soak) fail('--cluster and --soak do not go together: the soak runs on the single-node shop');
let mix: Mix;
try {
  mix = parseMix(args.mix);
} catch (error) {
  fail((error as Error).message);
}

const serviceEnv: Record<string, string> = {};
for (const pair of args['service-env'] ?? []) {
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--service-env must be KEY=VALUE, got "${pair}"`);
  serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const run = randomUUID().slice(0, 8);
const profileDir = join(repoRoot, 'bench/profiles', stamp);

/**
 * Settings per service beyond what `npm run shop` uses: shipping's clock shortened (1 s to
 * dispatch, 1 s to deliver) so each order's whole life, emails included, fits in the measured
 * window; no per-client rate limit on order (the load is thousands of customers from one address).
 */
const SERVICE_ENV: Partial<Record<ServiceName, Record<string, string>>> = {
  shipping: { SHIPPING_DISPATCH_AFTER_MS: '1000', SHIPPING_DELIVER_AFTER_MS: '1000' },
  order: { ORDER_RATE_LIMIT_PER_MINUTE: '0' },
};

const serviceSettings = Object.fromEntries(
  SERVICES.map((s) => [s, { ...SERVICE_ENV[s], ...(settings.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(profileDir, s)}` } : {}) }]),
);

const shop = new Shop({
  // Ports of its own (the e2e suites use 23xxx/24x17/25433-25435/29192-29393).
  servicePortBase: 24300,
  infraPorts: {
    PGPORT: 25437,
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
  commonEnv: serviceEnv,
  // SERVICE_ENV, and the CPU profiler with --profile; everything else as `npm run shop` runs it.
  env: serviceSettings,
});

/**
 * `--cluster`: the topology of `npm run shop -- --brokers 3 --replicas 2` (three Kafka nodes, topics
 * with 12 partitions, 3 copies and min.insync.replicas 2; two processes of each service), on ports
 * of its own, started once the single-node shop has stopped: the two never share the machine.
 */
const clusterShop = !settings.cluster ? undefined : new Shop({
  // order..notification on 24400-24404, analytics 24405, the second replicas on 24410-24414.
  servicePortBase: 24400,
  infraPorts: {
    PGPORT: 25447,
    // Node i on 29600 + 2(i-1), its controller on the next port: 29600-29605.
    KAFKA_PORT: 29600,
    KAFKA_CONTROLLER_PORT: 29601,
    JAEGER_OTLP_GRPC_PORT: 24627,
    JAEGER_OTLP_HTTP_PORT: 24628,
    JAEGER_QUERY_PORT: 26996,
    JAEGER_QUERY_GRPC_PORT: 26995,
    SMTP_PORT: 21335,
    MAILPIT_HTTP_PORT: 28335,
    KEYCLOAK_PORT: 28390,
  },
  kafkaNodes: 3,
  replicas: 2,
  commonEnv: serviceEnv,
  // SERVICE_ENV only: --profile profiles the single-node shop.
  env: SERVICE_ENV,
});

const ADDED_STOCK = 100_000_000;
let nextIndex = 0;

async function phase(roots: Record<string, number>, options: PhaseOptions, on = shop): Promise<PhaseResult> {
  log(`${options.name}: ${options.rate} orders/s for ${options.seconds} s`);
  const result = await runPhase(on, roots, run, nextIndex, options, log);
  nextIndex += result.offered;
  const l = result.confirmLatencyMs;
  log(
    `${options.name}: ${result.accepted}/${result.offered} accepted, ${result.finalWithin10s} final within 10 s, all final after ${result.allFinalAfterS ?? '-'} s` +
      (l ? `; POST -> CONFIRMED p50 ${round(l.p50)} ms, p99 ${round(l.p99)} ms` : '') +
      `; ${result.sustained ? 'sustained' : 'NOT sustained'}`,
  );
  return result;
}

async function invariants(on = shop): Promise<ShopTotals> {
  const totals = await checkInvariants(on);
  log(totals.problems.length === 0 ? `invariants hold over ${totals.orders} orders` : `INVARIANTS VIOLATED:\n- ${totals.problems.join('\n- ')}`);
  return totals;
}

async function main(): Promise<void> {
  log(`starting a private shop (logs of its services are kept in memory; run ${run})`);
  await shop.start();
  await enableStatementCounting(shop);
  await shop.receiveStock(BENCH_SKU, ADDED_STOCK);
  if (args.soak) return soak();
  const [durability] = await queryDatabase<{ synchronous_commit: string; fsync: string }>(adminUrl(shop), `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync`);
  let roots = processRoots(shop);

  await phase(roots, { name: 'warm-up', rate: 10, seconds: quick ? 2 : 5, mix, traceSample: 0 });

  const { idleMsPerSecond, idleKafkaRequestsPerSecond } = await measureIdle(shop, roots);

  const statementsBefore = await statementCalls(shop);
  const latency = await phase(roots, { name: `latency at ${settings.rate}/s`, rate: settings.rate, seconds: settings.seconds, mix, traceSample: settings.traceSample });
  const statements = topStatements(statementsBefore, await statementCalls(shop), latency.accepted);

  const { ramp, sustainedRate } = await rampUp(roots, 'ramp');
  const sustain =
    sustainedRate >= settings.sustainRate
      ? await phase(roots, { name: `sustained ${settings.sustainRate}/s`, rate: settings.sustainRate, seconds: settings.sustainSeconds, mix, traceSample: 0 })
      : null;
  if (!sustain) log(`sustained run at ${settings.sustainRate}/s skipped: the ramp sustained ${sustainedRate}/s at most`);
  const notifyInvariants = await invariants();

  let baseline: { latency: PhaseResult; invariants: ShopTotals } | null = null;
  if (settings.baseline) {
    log(`baseline: restarting the services with OUTBOX_RELAY_MODE=poll, OUTBOX_POLL_INTERVAL_MS=${settings.pollIntervalMs}`);
    await shop.restartAll({ OUTBOX_RELAY_MODE: 'poll', OUTBOX_POLL_INTERVAL_MS: String(settings.pollIntervalMs) });
    roots = processRoots(shop);
    await phase(roots, { name: 'baseline warm-up', rate: 10, seconds: quick ? 2 : 5, mix, traceSample: 0 });
    const baselineLatency = await phase(roots, { name: `baseline latency at ${settings.rate}/s`, rate: settings.rate, seconds: settings.seconds, mix, traceSample: settings.traceSample });
    baseline = { latency: baselineLatency, invariants: await invariants() };
  }

  log('stopping the shop');
  await shop.stop();
  const cluster = clusterShop ? await clusterRuns(clusterShop) : null;

  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationS: round((Date.now() - started) / 1000, 0),
    machine: machine(repoRoot),
    settings: { ...settings, mix: args.mix, serviceEnv, durability: { synchronousCommit: durability.synchronous_commit, fsync: durability.fsync, kafkaAcks: 'all (idempotent producer)' }, jaegerSampling: '100%' },
    idleMsPerSecond,
    idleKafkaRequestsPerSecond,
    latency: { ...latency, cpuPerOrder: cpuPerOrder(latency, idleMsPerSecond) },
    statements,
    ramp: ramp.map((s) => ({ ...s, cpuPerOrder: cpuPerOrder(s, idleMsPerSecond) })),
    sustainedRate,
    sustain: sustain ? { ...sustain, cpuPerOrder: cpuPerOrder(sustain, idleMsPerSecond) } : null,
    invariants: notifyInvariants,
    baseline: baseline ? { ...baseline, latency: { ...baseline.latency, cpuPerOrder: cpuPerOrder(baseline.latency, idleMsPerSecond) } } : null,
    profiles: settings.profile ? Object.fromEntries(SERVICES.map((s) => [s, summarise(readProfiles(join(profileDir, s)))])) : null,
    cluster,
  };
  const outDir = resolve(repoRoot, args.out);
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${stamp}${quick ? '-quick' : ''}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = markdownReport(report);
  writeFileSync(`${base}.md`, markdown);
  console.log(`\n${markdown}`);
  log(`report: ${base}.md and .json${settings.profile ? `; raw profiles in ${profileDir}` : ''}`);
  const violated = [notifyInvariants, baseline?.invariants, cluster?.invariants].some((totals) => (totals?.problems.length ?? 0) > 0);
  process.exitCode = violated ? 1 : 0;
}

/** The capacity ramp: each --ramp rate for --step-seconds, up to the first step not sustained; and the highest sustained rate. */
async function rampUp(roots: Record<string, number>, name: string, on = shop): Promise<{ ramp: PhaseResult[]; sustainedRate: number }> {
  const ramp: PhaseResult[] = [];
  for (const rate of settings.ramp) {
    const step = await phase(roots, { name: `${name} ${rate}/s`, rate, seconds: settings.stepSeconds, mix, traceSample: 0 }, on);
    ramp.push(step);
    if (!step.sustained) {
      log(`${name}: stopped at ${rate}/s (not sustained; higher steps would not be either)`);
      break;
    }
  }
  return { ramp, sustainedRate: Math.max(0, ...ramp.filter((s) => s.sustained).map((s) => s.offeredRate)) };
}

/** What the shop uses doing nothing, per process and per second (CPU ms, Kafka requests). */
async function measureIdle(on: Shop, roots: Record<string, number>): Promise<{ idleMsPerSecond: Record<string, number>; idleKafkaRequestsPerSecond: Record<string, number> }> {
  const idleSeconds = quick ? 3 : 15;
  log(`idle: measuring what the shop uses doing nothing for ${idleSeconds} s`);
  const before = await readCounters(on, roots);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const idle = usageBetween(before, await readCounters(on, roots));
  const idleMsPerSecond = Object.fromEntries(Object.entries(idle.cpuMs).map(([k, v]) => [k, round(v / idle.seconds, 2)]));
  const idleKafkaRequestsPerSecond = Object.fromEntries(Object.entries(idle.kafkaRequests).map(([k, v]) => [k, round(v / idle.seconds, 2)]));
  log(`idle: ${round(Object.values(idleMsPerSecond).reduce((a, b) => a + b, 0))} ms of CPU per second in all`);
  return { idleMsPerSecond, idleKafkaRequestsPerSecond };
}

/** `--cluster`: warm-up, idle, the latency run and the ramp once more, on three Kafka nodes and two replicas of each service. */
async function clusterRuns(topology: Shop): Promise<NonNullable<BenchReport['cluster']>> {
  log('cluster: starting a private shop of three Kafka nodes and two replicas of each service');
  await topology.start();
  try {
    await enableStatementCounting(topology);
    await topology.receiveStock(BENCH_SKU, ADDED_STOCK);
    const roots = processRoots(topology);
    await phase(roots, { name: 'cluster warm-up', rate: 10, seconds: quick ? 2 : 5, mix, traceSample: 0 }, topology);
    const { idleMsPerSecond } = await measureIdle(topology, roots);
    const latency = await phase(roots, { name: `cluster latency at ${settings.rate}/s`, rate: settings.rate, seconds: settings.seconds, mix, traceSample: 0 }, topology);
    const { ramp, sustainedRate } = await rampUp(roots, 'cluster ramp', topology);
    const totals = await invariants(topology);
    log('cluster: stopping the shop');
    return {
      idleMsPerSecond,
      latency: { ...latency, cpuPerOrder: cpuPerOrder(latency, idleMsPerSecond) },
      ramp: ramp.map((s) => ({ ...s, cpuPerOrder: cpuPerOrder(s, idleMsPerSecond) })),
      sustainedRate,
      invariants: totals,
    };
  } finally {
    await topology.stop();
  }
}

/** `--soak`: minute after minute at the same rate, the services' memory read after each. */
async function soak(): Promise<void> {
  const roots = processRoots(shop);
  const minutes: SoakMinute[] = [];
  for (let m = 1; m <= settings.soakMinutes; m++) {
    const result = await phase(roots, { name: `soak minute ${m}/${settings.soakMinutes}`, rate: settings.rate, seconds: 60, mix, traceSample: 0 });
    const memory = await sampleMemory(shop);
    log(`soak minute ${m}: resident MB ${Object.entries(memory).map(([s, v]) => `${s} ${v.rssMb}`).join(', ')}`);
    minutes.push(soakMinute(m, result, memory));
  }
  const totals = await invariants();
  log('stopping the shop');
  await shop.stop();
  const report: SoakReport = { startedAt: new Date(started).toISOString(), durationS: round((Date.now() - started) / 1000, 0), machine: machine(repoRoot), rate: settings.rate, minutes, verdict: soakVerdict(minutes) };
  const outDir = resolve(repoRoot, args.out);
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `soak-${stamp}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...report, invariants: totals }, null, 2)}\n`);
  const markdown = soakMarkdown(report);
  writeFileSync(`${base}.md`, markdown);
  console.log(`\n${markdown}`);
  log(`report: ${base}.md and .json`);
  const v = report.verdict;
  process.exitCode = totals.problems.length > 0 || !v.memoryFlat || v.latency.drifted || !v.everyOrderFinal ? 1 : 0;
}

stopOnSignal(log, () => Promise.all([shop.stop(), clusterShop?.stop()]).then(() => undefined));

main().catch(async (error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await shop.stop().catch(() => undefined);
  await clusterShop?.stop().catch(() => undefined);
  process.exit(1);
});
