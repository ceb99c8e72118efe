// `npm run chaos`: the shop under a steady load, with faults one after another (every service
// killed, Kafka and Postgres down, a consumer frozen past its session timeout, the SMTP server
// down and refusing, every message delivered twice, poison), each followed by recovery and the
// checks. Starts its own shop on private ports; writes bench/results/chaos-<time>.{md,json}.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machine } from '../machine';
import { stopOnSignal } from '../stop-on-signal';
import { chaosRate, refusedDomainIsRefused, startChaosShop } from './chaos-shop';
import { ChaosLoad } from './load';
import { chaosMarkdown, type ChaosReport } from './report';
import { runScenario, scenarios, type ScenarioResult } from './scenarios';

const repoRoot = resolve(__dirname, '../../../..');
const started = Date.now();
const log = (message: string) => console.log(`[chaos] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    rate: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run chaos -- [options]
  --short        the short form (fewer kills, shorter outages; what npm test runs)
  --rate N       orders per second (default: 20, or half the newest benchmark's sustained rate if lower)
  --only A,B     only the scenarios whose names contain one of these words (e.g. --only kafka,poison)
  --out DIR      where the reports go (default bench/results)`);
  process.exit(0);
}

async function main(): Promise<void> {
  if (!refusedDomainIsRefused()) throw new Error('the Mailpit rule would accept the refused domain');
  const resultsDir = resolve(repoRoot, args.out);
  const chosen = args.rate ? { rate: Number(args.rate), why: '--rate' } : chaosRate(resolve(repoRoot, 'bench/results'));
  if (!(chosen.rate > 0)) throw new Error(`--rate must be a positive number, got "${args.rate}"`);
  const only = args.only?.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  const list = scenarios(args.short).filter((s) => !only || only.some((w) => s.name.includes(w)));
  if (list.length === 0) throw new Error(`--only ${args.only}: no scenario matches`);
  log(`load: ${chosen.rate} orders/s (${chosen.why}); ${list.length} scenarios: ${list.map((s) => s.name).join(', ')}`);
  log('starting a private shop (its own Postgres, Kafka, Jaeger, Mailpit on private ports)');
  const { shop, kafka } = await startChaosShop({
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
  });
  stopOnSignal(log, async () => {
    await kafka.close();
    await shop.stop();
  });
  const run = randomUUID().slice(0, 8);
  const results: ScenarioResult[] = [];
  const expectedDeadLetters: Record<string, number> = {};
  try {
    for (const [i, scenario] of list.entries()) {
      const load = new ChaosLoad(shop.url('order'), shop.tokens, `${run}-${i}`, chosen.rate);
      results.push(await runScenario(scenario, { shop, kafka, short: args.short, log, expectedDeadLetters }, load));
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
    rate: chosen.rate,
    rateWhy: chosen.why,
    machine: machine(repoRoot),
    scenarios: results,
    pass: results.every((r) => r.pass),
  };
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `chaos-${report.startedAt.replace(/[:.]/g, '-').slice(0, 19)}${args.short ? '-short' : ''}`);
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
