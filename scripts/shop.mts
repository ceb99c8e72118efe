// Supervisor behind `npm run shop` (run by scripts/shop.sh on tsx's loader once npm install is done, while
// shop.sh's jobs are still bringing the infrastructure up). Builds the services, takes over each
// infrastructure component once it is up (libs/infra, in-process), starts the five services, the
// analytics service and the ops console, waits until everything is ready, prints where to look, and
// on Ctrl-C (or SIGTERM) stops exactly what it started.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ComponentName, type Endpoints, endpoints, infraContext, progressLogger, start, stop } from '../libs/infra/src/index.ts';

const root = resolve(import.meta.dirname, '..');
const env = process.env;
const logDir = resolve(root, env.SHOP_LOG_DIR ?? '.run/logs');
const READY_TIMEOUT_MS = Number(env.SHOP_READY_TIMEOUT_MS ?? 120_000);

/** libs/infra refusing a setting (a port that is not one, say): said plainly, exit 2. */
function refused(error: unknown): never {
  console.error(`[shop] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

// Where the infrastructure listens and how each service signs in: libs/infra's settings (ports,
// Kafka's nodes, the local-only passwords), from the same environment its components start with.
let local: Endpoints;
try {
  local = endpoints(env);
} catch (error) {
  refused(error);
}
const jaegerQuery = local.jaeger.queryUrl;
const mailpit = local.mailpit.url;
const smtpPort = String(local.mailpit.smtpPort);
const keycloak = local.keycloak.url;
const issuer = local.keycloak.issuer;
// The schema registry's Confluent-compatible API: the message schemas are registered there before
// the services start, and each service checks its own at boot (SCHEMA_REGISTRY_URL).
const schemaRegistry = local.registry.apiUrl;

const { values: options } = parseArgs({
  options: { replicas: { type: 'string', default: '1' }, brokers: { type: 'string', default: '1' }, help: { type: 'boolean', default: false } },
});
if (options.help) {
  console.log(`npm run shop -- [options]
  --replicas N   N processes of each service (1 to 4, default 1), replica r on its service's port + 10 * (r - 1)
                 (order 3000, 3010, ...), each outbox split into N shards so the replicas publish in parallel
  --brokers N    Kafka as 1 node (default) or a cluster of 3 KRaft nodes, node i on 9092 + 2 * (i - 1)
                 (controller 9093 + 2 * (i - 1)); on 3, every topic has 12 partitions, 3 copies, 2 in sync`);
  process.exit(0);
}
const replicas = Number(options.replicas);
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 4) {
  console.error(`[shop] --replicas must be a whole number from 1 to 4, got "${options.replicas}"`);
  process.exit(2);
}
// scripts/shop.sh has read --brokers already (its bring-up starts Kafka) and says so in KAFKA_NODES.
const brokers = Number(options.brokers);
if (options.brokers !== '1' && options.brokers !== '3') {
  console.error(`[shop] --brokers must be 1 or 3, got "${options.brokers}"`);
  process.exit(2);
}
if (env.KAFKA_NODES !== options.brokers) {
  console.error(`[shop] KAFKA_NODES=${env.KAFKA_NODES ?? ''} but --brokers ${options.brokers}: run \`npm run shop -- --brokers ${options.brokers}\``);
  process.exit(2);
}
// Every client gets every broker (KAFKA_NODES of them): any one down, the others still answer the bootstrap.
const kafka = local.kafka.brokers;

/** The five services, each `replicas` times: `name` is the service, `id` names the process (order, order-2, ...). */
const services = [
  { name: 'order', port: env.ORDER_PORT ?? '3000' },
  { name: 'inventory', port: env.INVENTORY_PORT ?? '3001' },
  { name: 'payment', port: env.PAYMENT_PORT ?? '3002' },
  { name: 'shipping', port: env.SHIPPING_PORT ?? '3003' },
  { name: 'notification', port: env.NOTIFICATION_PORT ?? '3004' },
].flatMap(({ name, port }) =>
  Array.from({ length: replicas }, (_, i) => ({ name, id: i === 0 ? name : `${name}-${i + 1}`, port: String(Number(port) + 10 * i) })),
);
// The analytics service (apps/analytics): one process whatever --replicas says (a second would fence
// the first: one transactional id), no database.
const analyticsApp = { name: 'analytics', id: 'analytics', port: env.ANALYTICS_PORT ?? '3005' };
// The ops console (apps/console): ready once Keycloak answers, so it is awaited after Keycloak.
const consoleApp = { name: 'console', id: 'console', port: env.CONSOLE_PORT ?? '3100' };
const infraComponents: ComponentName[] = ['postgres', 'kafka', 'jaeger', 'mailpit', 'registry', 'keycloak'];
// What the services need before they start: the registry holds the schemas they check at boot.
// They need Keycloak only when a signed-in request comes: its start-up runs beside theirs.
const neededFirst: ComponentName[] = ['postgres', 'kafka', 'registry'];
// Not needed to take orders, so not waited for while still being built (scripts/shop.sh builds
// them in the background on a cold cache): the notification service keeps its emails until an SMTP
// server answers, and the services export spans once Jaeger answers.
const builtInBackground: Array<{ name: ComponentName; title: string; ready: string }> = [
  { name: 'mailpit', title: 'Mailpit', ready: `${mailpit} (the emails the notification service kept meanwhile go out now)` },
  { name: 'jaeger', title: 'Jaeger', ready: `${jaegerQuery} (the services' spans reach it from now on)` },
];
const projects = [...new Set(services.map((s) => s.name)), analyticsApp.name, consoleApp.name];

const log = (message: string) => console.log(`[shop] ${message}`);
const children = new Map<string, ChildProcess>();
/** The build and the waits for a bring-up job still under way (their own process groups), stopped on shutdown. */
const inProgress = new Set<ChildProcess>();
/** The infrastructure starts under way (in-process): given up on shutdown, which awaits them before it stops the infrastructure. */
const infraStarts = new Set<Promise<void>>();
const shuttingDown = new AbortController();
let startedInfra: ComponentName[] = [];
let stopping = false;

/**
 * Runs a command in its own process group (stopped on shutdown) without blocking. Its output goes
 * to ours, or with `quiet` only when it fails.
 */
function inBackground(what: string, command: string, args: string[], quiet = false): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    inProgress.add(child);
    child.on('close', (code, signal) => {
      inProgress.delete(child);
      if (code === 0) return done();
      process.stderr.write(output);
      fail(new Error(`${what} failed (${signal ?? `exit ${code}`}); see the lines above`));
    });
  });
}

// Handed over by scripts/shop.sh, which has looked at what runs and started bringing the rest up:
// its jobs (component -> process group, while under way), their locks, and what ran before it.
if (env.SHOP_START_LOCKS === undefined || env.SHOP_INFRA_RUNNING_BEFORE === undefined) {
  console.error('[shop] scripts/shop.mts is started by scripts/shop.sh: run `npm run shop`');
  process.exit(2);
}
const startLocks = env.SHOP_START_LOCKS;
const runningBefore = env.SHOP_INFRA_RUNNING_BEFORE.split(' ').filter(Boolean);
const bringUps = new Map((env.SHOP_BRING_UP_PGIDS ?? '').split(' ').filter(Boolean).map((entry) => entry.split('=') as [string, string]));

// libs/infra in-process, as `infra.sh` runs it: its settings from our environment, its progress
// lines on stderr, its results on stdout. Each start gets a logger of its own (its own clock).
const infraCtx = await infraContext({ env, cwd: root }).catch(refused);

/**
 * libs/infra's start of one component (which provisions it first when needed), as `infra.sh start
 * <component>` does. When scripts/shop.sh is bringing it up, after its job ends (its lock): then
 * this finds it running (and says nothing, the job has), or tries again and reports what failed.
 */
function startInfra(component: ComponentName): Promise<void> {
  const started = startInfraNow(component);
  infraStarts.add(started);
  void started.finally(() => infraStarts.delete(started)).catch(() => undefined);
  return started;
}

async function startInfraNow(component: ComponentName): Promise<void> {
  const broughtUp = bringUps.has(component);
  if (broughtUp) {
    try {
      await inBackground(`waiting for ${component}'s bring-up`, 'flock', ['-o', resolve(startLocks, component), 'true'], true);
    } finally {
      bringUps.delete(component); // its job has ended: that process group id is no longer ours
    }
  }
  // Quiet after a bring-up job (which has said it all): its lines are printed only if this fails.
  let said = '';
  const keep = (text: string) => (said += text);
  const log = broughtUp ? progressLogger(Date.now(), keep, keep) : progressLogger();
  try {
    await start({ ...infraCtx, log }, [component], { signal: shuttingDown.signal });
  } catch (error) {
    if (stopping) throw error;
    process.stderr.write(said);
    throw new Error(`starting ${component} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** True when `provision.sh` has nothing to fetch or build for these components. */
function provisioned(...components: string[]): boolean {
  try {
    execFileSync('bash', [resolve(root, 'scripts/infra/provision.sh'), '--check', ...components], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Stops a process group that may already be gone. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    // already ended
  }
}

/**
 * `npm run contracts:register` against the registry: every message version's schema under its
 * subject, before any service starts (a service refuses to start while one it sends is missing).
 * Prints its summary line; on a refusal, everything it said.
 */
function registerSchemas(): void {
  let output: string;
  try {
    output = execFileSync(resolve(root, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'libs/contracts/scripts/register-schemas.ts'], {
      cwd: root,
      env: { ...env, SCHEMA_REGISTRY_URL: schemaRegistry },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`registering the message schemas in ${schemaRegistry} failed:\n${stdout}${stderr}`);
  }
  log(`message schemas in the registry: ${output.trimEnd().split('\n').pop()}`);
}

/** Starts one process of a service (`id`: its name, or name-2... for a further replica). */
function startService({ name, id, port }: { name: string; id: string; port: string }, extraEnv: Record<string, string> = {}): void {
  const out = createWriteStream(resolve(logDir, `${id}.log`), { flags: 'a' });
  const credentials = local.kafka.credentials(name);
  const child = spawn(process.execPath, [resolve(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: port,
      // Its own role, owner of its database only, and its own Kafka principal (libs/infra's local-only default passwords).
      DATABASE_URL: local.postgres.serviceUrl(name),
      KAFKA_BROKERS: kafka,
      KAFKA_SASL_USERNAME: credentials.username,
      KAFKA_SASL_PASSWORD: credentials.password,
      OIDC_ISSUER: issuer,
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: local.jaeger.otlpHttpUrl,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: smtpPort,
      // Kafka over SASL_SSL, SMTP with STARTTLS, the local CA trusted (DATABASE_URL says verify-full with it); plain text with SHOP_TLS=off.
      ...local.processEnv,
      // Local runs on loopback: the fault switch's admin endpoint is on (off by default elsewhere).
      FAULT_ADMIN_ENABLED: env.FAULT_ADMIN_ENABLED ?? 'true',
      // One outbox shard per replica: each replica publishes its share (every replica the same number).
      OUTBOX_RELAY_SHARDS: String(replicas),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  child.on('exit', (code, signal) => {
    children.delete(id);
    if (stopping) return;
    console.error(`[shop] ${id} exited unexpectedly (${signal ?? `status ${code}`}); last lines of its log:`);
    console.error(tail(resolve(logDir, `${id}.log`)));
    void shutdown(1);
  });
  children.set(id, child);
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function waitUntilReady(apps: Array<{ id: string; port: string }>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(apps.map((s) => s.id));
  while (pending.size > 0) {
    if (stopping) return;
    for (const s of apps.filter((x) => pending.has(x.id))) {
      if (await answers(`http://127.0.0.1:${s.port}/health/ready`)) {
        pending.delete(s.id);
        log(`${s.id} is ready`);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      for (const name of pending) console.error(`[shop] ${name} not ready after ${READY_TIMEOUT_MS} ms:\n${tail(resolve(logDir, `${name}.log`))}`);
      throw new Error(`not ready: ${[...pending].join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping...');
    shuttingDown.abort(new Error('stopping'));
    const exits = [...children.entries()].map(
      ([name, child]) =>
        new Promise<void>((done) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            log(`${name} stopped`);
            done();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    // The build, the waits for scripts/shop.sh's bring-up jobs and those jobs, still under way.
    for (const started of inProgress) if (started.pid) killGroup(started.pid);
    for (const pgid of bringUps.values()) killGroup(Number(pgid));
    // The infrastructure starts under way have given up (launching nothing more): then stop.
    await Promise.allSettled(infraStarts);
    if (startedInfra.length > 0) {
      try {
        await stop({ ...infraCtx, log: progressLogger() }, startedInfra);
      } catch (error) {
        console.error(`[shop] stopping the infrastructure failed: ${error instanceof Error ? error.message : String(error)}`);
        code = code || 1;
      }
    }
    rmSync(startLocks, { recursive: true, force: true });
    log('stopped everything this command started');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  mkdirSync(logDir, { recursive: true });

  // What was running before `npm run shop` is used and left running.
  startedInfra = infraComponents.filter((c) => !runningBefore.includes(c));
  if (runningBefore.length > 0) log(`reusing running infrastructure: ${runningBefore.join(', ')} (it will be left running)`);

  // The build beside the infrastructure, which scripts/shop.sh is already bringing up (on a fresh
  // machine some of it is still being fetched): each start below waits for its job.
  log(`building ${projects.join(', ')}; starting the infrastructure beside it`);
  const built = inBackground('the build', resolve(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', `--projects=${projects.join(',')}`, '--outputStyle=static']);
  const firstNeeds = Promise.all([built, ...neededFirst.map(startInfra)]);
  const identityProvider = startInfra('keycloak');
  identityProvider.catch(() => undefined); // reported where it is awaited, after the services
  // A built Mailpit or Jaeger starts in a second or two and is awaited with the rest; one still
  // being built is started when it is, and a line says so.
  const waitedFor: Array<Promise<void>> = [];
  const stillBuilding = new Set<string>();
  for (const tool of builtInBackground) {
    if (provisioned(tool.name)) {
      waitedFor.push(startInfra(tool.name));
      continue;
    }
    stillBuilding.add(tool.name);
    startInfra(tool.name).then(
      () => {
        stillBuilding.delete(tool.name);
        log(`${tool.title} is ready: ${tool.ready}`);
      },
      (error: Error) => {
        if (!stopping) console.error(`[shop] ${tool.title} did not start, the shop runs without it: ${error.message}; build log: ${logDir}/${tool.name}-build.log`);
      },
    );
  }
  waitedFor.forEach((p) => p.catch(() => undefined)); // awaited before the banner
  await firstNeeds;

  registerSchemas();
  for (const s of services) startService(s, { SCHEMA_REGISTRY_URL: schemaRegistry });
  startService(analyticsApp);
  // The console reads every service (metrics, health, fault switch) through its first replica, analytics' windows, Jaeger and Mailpit; Kafka as its own principal `console` (startService's KAFKA_*).
  const serviceUrl = (name: string) => `http://127.0.0.1:${services.find((s) => s.name === name)?.port}`;
  startService(consoleApp, {
    ORDER_API_URL: serviceUrl('order'),
    INVENTORY_URL: serviceUrl('inventory'),
    PAYMENT_URL: serviceUrl('payment'),
    SHIPPING_URL: serviceUrl('shipping'),
    NOTIFICATION_URL: serviceUrl('notification'),
    ANALYTICS_URL: `http://127.0.0.1:${analyticsApp.port}`,
    JAEGER_QUERY_URL: jaegerQuery,
    MAILPIT_URL: mailpit,
    SCHEMA_REGISTRY_URL: schemaRegistry,
  });
  log(`started ${replicas === 1 ? 'the five services' : `${replicas} replicas of each of the five services`}, analytics and the console; waiting until each reports ready (logs in ${logDir})`);
  await waitUntilReady([...services, analyticsApp]);
  log('waiting for Keycloak (sign-in), which takes about a minute to start');
  await identityProvider;
  await waitUntilReady([consoleApp]);
  await Promise.all(waitedFor);

  const width = Math.max(14, ...services.map((s) => s.id.length + 2));
  const pad = (s: string) => s.padEnd(width);
  console.log(
    [
      '',
      'The shop is running (everything on 127.0.0.1):',
      ...[...services, analyticsApp].map((s) => `  ${pad(s.id)}http://127.0.0.1:${s.port}   health: /health/ready   metrics: /metrics`),
      ...(replicas > 1
        ? [
            `  ${pad('')}${replicas} replicas of each service: any order replica takes and shows any order (one database, one consumer group),`,
            `  ${pad('')}e.g. POST ${services.filter((s) => s.name === 'order').map((s) => `http://127.0.0.1:${s.port}/orders`).join(' or ')}`,
          ]
        : []),
      `  ${pad('Order API')}http://127.0.0.1:${services[0].port}/docs   (Swagger UI; OpenAPI JSON at /docs-json)`,
      `  ${pad('Analytics')}http://127.0.0.1:${analyticsApp.port}/analytics/revenue-per-minute   (revenue and orders per minute; an admin token)`,
      `  ${pad('Console')}http://127.0.0.1:${consoleApp.port}   (ops console: sign in as shop-admin, password shop-admin-local)`,
      `  ${pad('Sign-in')}${issuer}   (Keycloak; admin console ${keycloak}/admin)`,
      `  ${pad('')}a token: npm run -s token -- alice   (customers alice, bob, carol; an admin token: npm run -s token -- --admin)`,
      `  ${pad('Jaeger')}${jaegerQuery}   ${stillBuilding.has('jaeger') ? `still building (log: ${logDir}/jaeger-build.log); a line here says when it answers` : '(query API: /api/services, /api/traces/<id>)'}`,
      `  ${pad('Mailpit')}${mailpit}   ${stillBuilding.has('mailpit') ? `still building (log: ${logDir}/mailpit-build.log); a line here says when it answers, and the emails go out then` : `(SMTP 127.0.0.1:${smtpPort}; API: /api/v1/messages)`}`,
      ...(brokers === 1
        ? [`  ${pad('Kafka')}${kafka}`]
        : [
            `  ${pad('Kafka')}${brokers} KRaft nodes (bootstrap ${kafka}); topics: 12 partitions, replication factor 3, min.insync.replicas 2, producers acks=all`,
            ...local.kafka.nodes.map((n) => `  ${pad(`  ${n.name}`)}broker 127.0.0.1:${n.port}   controller 127.0.0.1:${n.controllerPort}   log ${infraCtx.runDir}/logs/${n.name}.log`),
          ]),
      `  ${pad('Schemas')}${schemaRegistry}   (schema registry, subjects <type>.v<version>: /subjects; npm run contracts:register)`,
      `  ${pad('Postgres')}${local.postgres.url('shop_<service>')}`,
      `  ${pad('TLS')}${local.tls ? `Kafka, Postgres and SMTP, verified against the local CA ${local.tls.caFile}` : 'off (SHOP_TLS=off): Kafka, Postgres and SMTP in plain text'}`,
      `  ${pad('Logs')}${logDir}/<service>.log, console.log`,
      '',
      'Press Ctrl-C to stop everything this command started.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (stopping) return; // a start given up on by the shutdown under way, which exits when done
  console.error(`[shop] failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
