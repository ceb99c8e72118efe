import { ALL_TOPICS } from '@shop/contracts';
import { customerOf, SERVICES, waitFor, type ServiceName, type Shop } from '@shop/testing';
import { LOAD_CUSTOMERS } from '../load';
import { SETTLED } from '../measure';
import { deadLetterProblems, invariantProblems, missingEmails, notFinal } from './checks';
import { CONSUMED, type ChaosKafka, type Offsets } from './kafka-tools';
import { ChaosLoad } from './load';

/** Recipients at this domain are refused by the SMTP server (Mailpit's allowed-recipients rule). */
export const REFUSED_DOMAIN = 'refused.example.net';
/** The realm user whose address is at REFUSED_DOMAIN (the address comes from their token). */
export const REFUSED_CUSTOMER = 'shopper-refused';
/** The saga's forward steps (apps/order's STEPS): a deadline passing on one of them gives the order up. */
const FORWARD_STEPS = ['RESERVE_STOCK', 'CHARGE_PAYMENT', 'SCHEDULE_SHIPMENT'];
/**
 * What the load's orders carry as personal data (see ../load.ts orderBody, and the customers'
 * addresses and names, which their tokens carry): it must never be logged.
 */
const PERSONAL_DATA = ['@example.com', `@${REFUSED_DOMAIN}`, 'Bench Customer', '1 Main Street', ...new Set([...LOAD_CUSTOMERS, REFUSED_CUSTOMER].map((c) => customerOf(c).name))];
/** Every order must be final, its emails sent and every consumer caught up this long after recovery. */
export const RECOVERY_LIMIT_S = 60;

export interface ChaosContext {
  shop: Shop;
  kafka: ChaosKafka;
  /** The load of the scenario being run. */
  load: ChaosLoad;
  short: boolean;
  log: (message: string) => void;
  /** Dead letters the poison injected so far must have produced, per DLQ topic. */
  expectedDeadLetters: Record<string, number>;
  /** The end offsets of every topic when the scenario's load began. */
  startOffsets: Offsets;
  /**
   * The cluster run (`--cluster`): three Kafka nodes and two replicas of each service. Its
   * scenarios must also show no 5xx outside the moments a process is down (`faultWindows`) and
   * no forward step given up on its deadline.
   */
  cluster: boolean;
  /** When processes were down or starting (epoch ms), as the scenario marks them with `whileDown`. */
  faultWindows: Array<{ from: number; to: number }>;
  /** What the scenario measured, in words for the report (e.g. how long a takeover took). */
  measured: string[];
}

/** Runs `fault` (a kill and the restart after it) and marks its time as a fault window: a 5xx then is the fault's doing. */
export async function whileDown<T>(ctx: ChaosContext, fault: () => Promise<T>): Promise<T> {
  const from = Date.now();
  try {
    return await fault();
  } finally {
    ctx.faultWindows.push({ from, to: Date.now() });
  }
}

export interface Scenario {
  name: string;
  /** What is done, in words for the report. */
  fault: string;
  /**
   * Injects the fault under load and recovers from it; resolves at the moment of recovery.
   * May return a check to run once everything has settled (problems found, empty when fine).
   */
  run(ctx: ChaosContext): Promise<void | (() => Promise<string[]>)>;
}

export interface ScenarioResult {
  name: string;
  fault: string;
  offered: number;
  accepted: number;
  final: number;
  /** How the accepted orders ended: DELIVERED, REJECTED, CANCELLED (and anything not final). */
  outcomes: Record<string, number>;
  /** Forward steps given up on because their deadline passed (a participant killed or frozen for longer than the step timeout is slow, as far as the saga can tell). */
  stepsTimedOut: number;
  /** Seconds from recovery until every order was final, every email sent and no consumer lagging; null if not within the limit. */
  recoverS: number | null;
  /** Orders not accepted, by answer: an HTTP status, or the error (ECONNREFUSED, TimeoutError). */
  notAccepted: Record<string, number>;
  /** What the scenario measured besides, for the report (e.g. the relay's takeover time). */
  measured: string[];
  problems: string[];
  pass: boolean;
}

const seconds = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Holds a fault for `s` seconds: the fault's length, not a wait for something to happen. */
const holdFault = seconds;
const waitUntil = (what: string, check: () => Promise<boolean>, timeoutMs: number) => waitFor(what, check, timeoutMs, 250);

/** A metric's samples summed over every service's /metrics, keeping the samples whose labels contain each of `labels` (`to="open"`). */
async function metricSum(shop: Shop, name: string, labels: string[] = []): Promise<number> {
  const texts = await Promise.all(SERVICES.map(async (service) => (await fetch(`${shop.url(service)}/metrics`, { signal: AbortSignal.timeout(5000) })).text()));
  return texts
    .flatMap((text) => text.split('\n'))
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && labels.every((l) => line.includes(l)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

interface BreakerCounts {
  opened: number;
  closed: number;
  deadLettered: number;
}

async function breakerCounts(shop: Shop, dependency: string): Promise<BreakerCounts> {
  const transitions = (to: string) => metricSum(shop, 'shop_consumer_breaker_transitions_total', [`dependency="${dependency}"`, `to="${to}"`]);
  const [opened, closed, deadLettered] = await Promise.all([transitions('open'), transitions('closed'), metricSum(shop, 'shop_dlq_messages_total')]);
  return { opened, closed, deadLettered };
}

/**
 * Counts the `dependency` breakers' transitions (shop_consumer_breaker_transitions_total) and
 * the dead letters (shop_dlq_messages_total) from now on; the returned check, run once everything
 * has settled, wants at least one breaker opened by the outage, every one closed again (the
 * state gauge at 0 everywhere), and no message dead-lettered meanwhile.
 */
async function watchBreakers(shop: Shop, dependency: string, log: (message: string) => void): Promise<() => Promise<string[]>> {
  const before = await breakerCounts(shop, dependency);
  return async () => {
    const after = await breakerCounts(shop, dependency);
    const opened = after.opened - before.opened;
    const closed = after.closed - before.closed;
    const deadLettered = after.deadLettered - before.deadLettered;
    const stillOpen = await metricSum(shop, 'shop_consumer_breaker_state', [`dependency="${dependency}"`]);
    log(`${dependency} breakers: opened ${opened} time(s), closed ${closed} time(s), now ${stillOpen === 0 ? 'all closed' : 'not all closed'}; messages dead-lettered meanwhile: ${deadLettered}`);
    const problems: string[] = [];
    if (opened === 0) problems.push(`no ${dependency} breaker opened during the outage`);
    if (closed < opened || stillOpen !== 0) problems.push(`${dependency} breakers opened ${opened} time(s) but closed ${closed} time(s); the state gauges sum to ${stillOpen}`);
    if (deadLettered !== 0) problems.push(`${deadLettered} message(s) dead-lettered during the ${dependency} outage`);
    return problems;
  };
}

function killAndRestart(service: ServiceName): Scenario {
  return {
    name: `kill ${service}`,
    fault: `SIGKILL of ${service} mid-saga, restarted at once`,
    async run({ shop }) {
      const proc = shop.processes.get(service);
      if (!proc) throw new Error(`${service} is not running`);
      await proc.stop('SIGKILL');
      await shop.restart(service);
    },
  };
}

export function scenarios(short: boolean): Scenario[] {
  const kafkaDownS = short ? 15 : 30;
  const smtpDownS = short ? 10 : 60;
  const list: Scenario[] = [
    ...(short ? (['order', 'payment'] as const) : SERVICES).map(killAndRestart),
    {
      name: 'kafka outage',
      fault: `Kafka stopped for ${kafkaDownS} s (longer than the 10 s step deadline), then started`,
      async run({ shop, kafka, load }) {
        await kafka.dropClients();
        await shop.stopComponent('kafka');
        const stoppedAt = Date.now();
        await holdFault(kafkaDownS);
        await shop.startComponent('kafka');
        const startedAt = Date.now();
        // No participant failed: no deadline may have given up on a forward step of this scenario's
        // orders. (A compensation's deadline only sends it again, which the participant absorbs.)
        return async () => {
          const passed = await shop.query<{ order_id: string; waiting_for: string; at: Date }>(
            'order',
            `SELECT order_id, data->>'waitingFor' AS waiting_for, occurred_at AS at FROM order_event
              WHERE type = 'DeadlinePassed' AND data->>'waitingFor' = ANY($2) AND order_id = ANY($1) ORDER BY occurred_at`,
            [load.placed.map((p) => p.orderId), FORWARD_STEPS],
          );
          if (passed.length === 0) return [];
          const when = (at: Date) => `${((at.getTime() - startedAt) / 1000).toFixed(1)} s after Kafka was back`;
          const steps = [...new Set(passed.map((p) => p.waiting_for))].join(', ');
          return [
            `${passed.length} step deadline(s) passed (waiting for ${steps}), the first ${when(passed[0].at)}, the last ${when(passed[passed.length - 1].at)}; Kafka was down ${((startedAt - stoppedAt) / 1000).toFixed(1)} s`,
          ];
        };
      },
    },
    {
      name: 'postgres restart',
      fault: 'Postgres stopped (fast shutdown) while commands wait for payment (frozen with SIGSTOP until they do, then resumed); started again once a database breaker opened',
      async run({ shop, kafka, log }) {
        const breakers = await watchBreakers(shop, 'database', log);
        // A restart lasts a second or two, and the relays cannot publish while it lasts: a consumer
        // meets the database down only if a message was on its way. Payment, frozen, lets commands
        // pile up for it, so it resumes into the outage with work to do.
        const pid = shop.processes.get('payment')?.child.pid;
        if (!pid) throw new Error('payment is not running');
        const inputs = CONSUMED.find((c) => c.group === 'payment')?.topics ?? [];
        const produced = async () => Object.values(await kafka.ends(inputs)).flat().reduce((n, p) => n + Number(p.offset), 0);
        process.kill(pid, 'SIGSTOP');
        try {
          // Produced after the freeze, so not handled yet (its committed lag would also count what it handled and has not committed).
          const atFreeze = await produced();
          await waitUntil('a message for the frozen payment', async () => (await produced()) > atFreeze, 8_000);
          await shop.stopComponent('postgres');
        } finally {
          process.kill(pid, 'SIGCONT');
        }
        try {
          await waitUntil('a database breaker to open', async () => (await metricSum(shop, 'shop_consumer_breaker_state', ['dependency="database"'])) > 0, 15_000);
        } finally {
          await shop.startComponent('postgres');
        }
        return breakers;
      },
    },
    {
      name: 'consumer stalled',
      fault: 'payment frozen (SIGSTOP) for 15 s, past its 10 s session timeout: a rebalance mid-batch; then SIGCONT',
      async run({ shop }) {
        const pid = shop.processes.get('payment')?.child.pid;
        if (!pid) throw new Error('payment is not running');
        process.kill(pid, 'SIGSTOP');
        try {
          await holdFault(15);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
      },
    },
    {
      name: 'smtp down',
      fault: `the SMTP server stopped for ${smtpDownS} s, then started`,
      async run({ shop, log }) {
        const breakers = await watchBreakers(shop, 'smtp', log);
        await shop.stopComponent('mailpit');
        await holdFault(smtpDownS);
        await shop.startComponent('mailpit');
        return breakers;
      },
    },
    {
      name: 'smtp refuses an address',
      // The address comes from the token: every 4th order is placed by the realm's customer whose address the SMTP server refuses.
      fault: `every 4th order's customer's address refused by the SMTP server (5xx) for 10 s of orders`,
      async run({ shop, load }) {
        const normal = load.customerFor;
        load.customerFor = (n) => (n % 4 === 0 ? REFUSED_CUSTOMER : normal(n));
        await holdFault(10);
        load.customerFor = normal;
        return async () => {
          const refused = load.placed.filter((p) => p.email.endsWith(`@${REFUSED_DOMAIN}`)).map((p) => p.orderId);
          if (refused.length === 0) return ['no order with a refused address was accepted'];
          const rows = await shop.query<{ n: number }>('notification', `SELECT count(*)::int AS n FROM notification WHERE order_id = ANY($1) AND refusals > 0 AND status <> 'SENT'`, [refused]);
          return rows[0].n === 0 ? ['the SMTP server refused no email: the refused-address rule did not apply'] : [];
        };
      },
    },
    {
      name: 'duplicate delivery',
      fault: 'every message on every topic since the scenario began produced a second time, under load',
      async run({ shop, kafka, load, startOffsets, log }) {
        // The orders placed so far end first, so a changed status or version can only be the duplicates' doing.
        const early = load.placed.map((p) => p.orderId);
        await waitUntil('the scenario\'s first orders to be final', async () => (await notFinal(shop, early)).length === 0, 30_000);
        const before = await shop.query<{ id: string; status: string; version: number }>('order', 'SELECT id, status, version FROM orders WHERE id = ANY($1)', [early]);
        const emails = () => shop.query<{ n: number }>('notification', 'SELECT count(*)::int AS n FROM notification WHERE order_id = ANY($1)', [early]);
        const emailsBefore = (await emails())[0].n;
        const copies = await kafka.redeliver([...ALL_TOPICS], startOffsets);
        log(`duplicate delivery: ${copies} messages produced a second time (${early.length} orders' worth, and more)`);
        return async () => {
          const after = new Map((await shop.query<{ id: string; status: string; version: number }>('order', 'SELECT id, status, version FROM orders WHERE id = ANY($1)', [early])).map((o) => [o.id, o]));
          const problems = before
            .filter((o) => after.get(o.id)?.version !== o.version || after.get(o.id)?.status !== o.status)
            .map((o) => `order ${o.id} changed by the duplicates: ${o.status} v${o.version} -> ${after.get(o.id)?.status} v${after.get(o.id)?.version}`);
          const emailsAfter = (await emails())[0].n;
          if (emailsAfter !== emailsBefore) problems.push(`emails of those orders: ${emailsBefore} -> ${emailsAfter}`);
          if (copies < early.length) problems.push(`only ${copies} messages were delivered again`);
          return problems;
        };
      },
    },
    {
      name: 'poison messages',
      fault: 'not JSON, wrong schema, oversized (700 KB), missing headers, unknown type, unknown version: one of each on every consumed topic',
      async run({ kafka, expectedDeadLetters, log }) {
        const { injected, expectedDeadLetters: expected } = await kafka.injectPoison();
        for (const [topic, n] of Object.entries(expected)) expectedDeadLetters[topic] = (expectedDeadLetters[topic] ?? 0) + n;
        log(`poison: ${injected} messages injected; ${Object.values(expected).reduce((a, b) => a + b, 0)} must be dead-lettered, the unknown type and version ignored`);
      },
    },
  ];
  return list;
}

/** Runs one scenario under its own load, then waits for recovery and checks everything. */
export async function runScenario(scenario: Scenario, ctx: Omit<ChaosContext, 'load' | 'startOffsets' | 'faultWindows' | 'measured'>, load: ChaosLoad): Promise<ScenarioResult> {
  const lead = ctx.short ? 3 : 5;
  const c: ChaosContext = { ...ctx, load, startOffsets: await ctx.kafka.ends([...ALL_TOPICS]), faultWindows: [], measured: [] };
  await load.start();
  await seconds(lead); // load before the fault: sagas in flight when it strikes
  ctx.log(`${scenario.name}: ${scenario.fault}`);
  let extraCheck: void | (() => Promise<string[]>) = undefined;
  const problems: string[] = [];
  try {
    extraCheck = await scenario.run(c);
  } catch (error) {
    problems.push(`the fault could not be injected or undone: ${String(error)}`);
  }
  const recoveredAt = Date.now();
  await seconds(lead); // load after the recovery
  await load.stop();
  ctx.log(`${scenario.name}: recovered; ${load.placed.length}/${load.offered} orders accepted; waiting for every order, email and consumer`);

  const ids = load.placed.map((p) => p.orderId);
  let last: string[] = [];
  let recoverS: number | null = null;
  while (Date.now() - recoveredAt < RECOVERY_LIMIT_S * 1000) {
    last = await settledProblems(c, ids).catch((error: unknown) => [`could not check: ${String(error)}`]);
    if (last.length === 0) {
      recoverS = Math.round((Date.now() - recoveredAt) / 100) / 10;
      break;
    }
    await seconds(0.5);
  }
  if (recoverS === null) problems.push(...summarise(last));
  const { outcomes, stepsTimedOut } = await howTheyEnded(ctx.shop, ids);
  const final = SETTLED.reduce((n, status) => n + (outcomes[status] ?? 0), 0);
  const notAccepted: Record<string, number> = {};
  for (const r of load.refusals) notAccepted[String(r.answer)] = (notAccepted[String(r.answer)] ?? 0) + 1;
  if (ctx.cluster) {
    // A process down may cost the orders sent to it while it is down; nothing else may fail.
    const during = (at: number) => c.faultWindows.some((w) => at >= w.from && at <= w.to);
    const outside = load.refusals.filter((r) => !during(r.at));
    if (outside.length > 0) problems.push(`${outside.length} order(s) not accepted while no process was down: ${[...new Set(outside.map((r) => r.answer))].join(', ')}`);
    if (stepsTimedOut > 0) problems.push(`${stepsTimedOut} forward step(s) given up on their deadline: the fault made a saga wait longer than its step timeout`);
  }
  problems.push(...(await invariantProblems(ctx.shop).catch((e: unknown) => [`invariants: ${String(e)}`])));
  problems.push(...(await deadLetterProblems(ctx.kafka, ctx.expectedDeadLetters).catch((e: unknown) => [`dead letters: ${String(e)}`])));
  if (extraCheck) problems.push(...(await extraCheck().catch((e: unknown) => [`check: ${String(e)}`])));
  for (const [name, proc] of ctx.shop.processes) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) problems.push(`${name} is not running (${proc.child.exitCode ?? proc.child.signalCode})`);
    // No customer's email (the refused ones included), name or street in any log line.
    const output = proc.stdout() + proc.stderr();
    for (const personal of PERSONAL_DATA) if (output.includes(personal)) problems.push(`${name}'s log contains personal data ("${personal}")`);
  }
  const result: ScenarioResult = {
    name: scenario.name,
    fault: scenario.fault,
    offered: load.offered,
    accepted: ids.length,
    final,
    outcomes,
    stepsTimedOut,
    recoverS,
    notAccepted,
    measured: c.measured,
    problems,
    pass: problems.length === 0,
  };
  ctx.log(`${scenario.name}: ${result.pass ? 'PASS' : 'FAIL'}${recoverS !== null ? `, recovered in ${recoverS} s` : ''}${problems.length ? `\n  - ${problems.join('\n  - ')}` : ''}`);
  return result;
}

async function howTheyEnded(shop: Shop, ids: string[]): Promise<{ outcomes: Record<string, number>; stepsTimedOut: number }> {
  const rows = await shop.query<{ status: string; n: number }>('order', 'SELECT status, count(*)::int AS n FROM orders WHERE id = ANY($1) GROUP BY status', [ids]);
  const [timedOut] = await shop.query<{ n: number }>(
    'order',
    `SELECT count(*)::int AS n FROM order_event WHERE type = 'DeadlinePassed' AND data->>'waitingFor' = ANY($2) AND order_id = ANY($1)`,
    [ids, FORWARD_STEPS],
  );
  return { outcomes: Object.fromEntries(rows.map((r) => [r.status, r.n])), stepsTimedOut: timedOut.n };
}

/** What still keeps the scenario from being over: unfinished orders, missing emails, consumer lag. */
async function settledProblems(ctx: ChaosContext, ids: string[]): Promise<string[]> {
  const open = await notFinal(ctx.shop, ids);
  if (open.length > 0) return open.map((o) => `order ${o.id} not final: ${o.status}`);
  const missing = await missingEmails(ctx.shop, ids, REFUSED_DOMAIN);
  if (missing.length > 0) return missing;
  const lag = await ctx.kafka.lag();
  return lag > 0 ? [`consumers ${lag} message(s) behind`] : [];
}

function summarise(problems: string[]): string[] {
  if (problems.length <= 5) return problems;
  return [...problems.slice(0, 5), `... and ${problems.length - 5} more`];
}
