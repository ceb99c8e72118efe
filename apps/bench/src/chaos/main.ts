// `npm run chaos`: the shop under a steady load, with faults one after another (every service
// killed, Kafka and Postgres down, a consumer frozen past its session timeout, the SMTP server
// down and refusing, every message delivered twice, poison), each followed by recovery and the
// checks. Starts its own shop on private ports; writes bench/results/chaos-<time>.{md,json}.
// With --cluster: three Kafka nodes and two replicas of each service, and the faults of that
// topology (a broker, the active controller, a replica of each service killed, the order relay
// frozen, a rolling restart); writes chaos-<time>-cluster.{md,json}.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machine } from '../machine';
import { stopOnSignal } from '../stop-on-signal';
import { chaosRate, refusedDomainIsRefused, startChaosShop } from './chaos-shop';
import { ChaosLoad } from './load';
import { chaosMarkdown, type ChaosReport } from './report';
import { clusterScenarios } from './cluster-scenarios';
import { runScenario, scenarios, type ScenarioResult } from './scenarios';

const repoRoot = resolve(__dirname, '../../../..');
const started = Date.now();
const log = (message: string) => console.log(`[chaos] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);

/** The single-node chaos shop's ports (chaos.spec.ts, in npm test, has its own). */
const SINGLE_PORTS = {
  servicePortBase: 24500,
  infraPorts: {
    PGPORT: 25439,
    KAFKA_PORT: 29692,
    KAFKA_CONTROLLER_PORT: 29693,
    JAEGER_OTLP_GRPC_PORT: 24817,
    JAEGER_OTLP_HTTP_PORT: 24818,
    JAEGER_QUERY_PORT: 27186,
    JAEGER_QUERY_GRPC_PORT: 27185,
    SMTP_PORT: 21525,
    MAILPIT_HTTP_PORT: 28525,
    KEYCLOAK_PORT: 28580,
  },
};
/** The cluster's: services on 24600-24605 and 24610-24614; Kafka node i on 29620 + 2(i-1), its controller on 29621 + 2(i-1). */
const CLUSTER_PORTS = {
  cluster: true,
  servicePortBase: 24600,
  infraPorts: {
    PGPORT: 25440,
    KAFKA_PORT: 29620,
    KAFKA_CONTROLLER_PORT: 29621,
    JAEGER_OTLP_GRPC_PORT: 24837,
    JAEGER_OTLP_HTTP_PORT: 24838,
    JAEGER_QUERY_PORT: 27296,
    JAEGER_QUERY_GRPC_PORT: 27295,
    SMTP_PORT: 21535,
    MAILPIT_HTTP_PORT: 28535,
    KEYCLOAK_PORT: 28590,
  },
};

/** Orders a second in the cluster run unless --rate says otherwise. */
const CLUSTER_RATE = 5;

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
    rate: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run chaos -- [options]
  --short        the short form (fewer kills, shorter outages; what npm test runs)
  --cluster      three Kafka nodes and two replicas of each service, and that topology's faults
                 (about 6 GiB of memory; not part of npm test)
  --rate N       orders per second (default: 20, or half the newest benchmark's sustained rate if lower;
                 ${CLUSTER_RATE} with --cluster)
  --only A,B     only the scenarios whose names contain one of these words (e.g. --only kafka,poison)
  --out DIR      where the reports go (default bench/results)`);
  process.exit(0);
}

async function main(): Promise<void> {
  if (!refusedDomainIsRefused()) throw new Error('the Mailpit rule would accept the refused domain');
  const resultsDir = resolve(repoRoot, args.out);
  const chosen = args.rate
    ? { rate: Number(args.rate), why: '--rate' }
    : args.cluster
      ? { rate: CLUSTER_RATE, why: `the cluster run's default: twelve processes and three Kafka nodes share the cores` }
      : chaosRate(resolve(repoRoot, 'bench/results'));
  if (!(chosen.rate > 0)) throw new Error(`--rate must be a positive number, got "${args.rate}"`);
  const only = args.only?.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  const list = (args.cluster ? clusterScenarios(args.short) : scenarios(args.short)).filter((s) => !only || only.some((w) => s.name.includes(w)));
  if (list.length === 0) throw new Error(`--only ${args.only}: no scenario matches`);
  log(`load: ${chosen.rate} orders/s (${chosen.why}); ${list.length} scenarios: ${list.map((s) => s.name).join(', ')}`);
  log(`starting a private shop (its own Postgres, Kafka, Jaeger, Mailpit on private ports)${args.cluster ? ': three Kafka nodes, two replicas of each service' : ''}`);
  const { shop, kafka } = await startChaosShop(args.cluster ? CLUSTER_PORTS : SINGLE_PORTS);
  stopOnSignal(log, async () => {
    await kafka.close();
    await shop.stop();
  });
  const run = randomUUID().slice(0, 8);
  const results: ScenarioResult[] = [];
  const expectedDeadLetters: Record<string, number> = {};
  try {
    for (const [i, scenario] of list.entries()) {
      const load = new ChaosLoad(shop.urls('order'), shop.tokens, `${run}-${i}`, chosen.rate);
      results.push(await runScenario(scenario, { shop, kafka, short: args.short, cluster: args.cluster, log, expectedDeadLetters }, load));
    }
  } finally {
    log('stopping the shop');
    await kafka.close();
    await shop.stop();
  }
  const report: ChaosReport = {
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    short: args.short,
    cluster: args.cluster,
    rate: chosen.rate,
    rateWhy: chosen.why,
    machine: machine(repoRoot),
    scenarios: results,
    pass: results.every((r) => r.pass),
  };
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `chaos-${report.startedAt.replace(/[:.]/g, '-').slice(0, 19)}${args.short ? '-short' : ''}${args.cluster ? '-cluster' : ''}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = chaosMarkdown(report);
  writeFileSync(`${base}.md`, markdown);
  console.log(`\n${markdown}`);
  log(`report: ${base}.md and .json`);
  process.exitCode = report.pass ? 0 : 1;
}


main().catch((error: unknown) => {
  console.error(`[chaos] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 2;
});
