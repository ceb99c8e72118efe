import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Component } from '../component';
import { logFile, pidFile, rotateLog, type InfraContext } from '../context';
import { int, kafkaUsers, portValues, text, words } from '../settings';
import { launchServer, requireProvisioned, serverPid, stopServer, waitServer, type ServerSpec } from '../server';
import { InfraError } from '../toolkit/log';
import { tcpExchange } from '../toolkit/ports';
import { isExecutable, onPath, readPid, run, type Env } from '../toolkit/process';
import { showLogTail } from '../toolkit/wait';
import { clientSecurityEnv, localTls } from '../tls';
import {
  API_VERSIONS_REQUEST,
  apiVersionsAnswered,
  defaultHeap,
  kafkaNodes,
  log4j2Properties,
  serverProperties,
  topicLayout,
  topicSettingsEnv,
  type KafkaNode,
} from './kafka-cluster';

/** Kafka 4.1 in KRaft mode from Maven Central's jars, SASL/SCRAM-SHA-512 and ACLs. */
/** The first node's pair; node i of a cluster adds 2(i-1) to each (kafka-cluster.ts). */
const PORTS = { port: { env: 'KAFKA_PORT', default: 9092 }, controllerPort: { env: 'KAFKA_CONTROLLER_PORT', default: 9093 } } as const;

/** The nodes of this environment: KAFKA_NODES of them (default 1, the single node as it always was). */
export const nodesOf = (env: Env, runDir = '') => kafkaNodes(runDir, portValues(PORTS, env), int(env, 'KAFKA_NODES', 1));

/**
 * Every node this run dir has a pid file for, whatever KAFKA_NODES says now (`kafka` or
 * `kafka-<i>`), with the configured ones: a stop finds a cluster started with another count.
 */
function nodesToStop(ctx: InfraContext): KafkaNode[] {
  const configured = nodesOf(ctx.env, ctx.runDir);
  let files: string[] = [];
  try {
    files = readdirSync(`${ctx.runDir}/pids`);
  } catch {
    // no pid files yet
  }
  const counts = new Set([configured.length]);
  for (const file of files) {
    const found = /^kafka(?:-([0-9]+))?\.pid$/.exec(file);
    if (found) counts.add(found[1] === undefined ? 1 : Math.max(2, Number(found[1])));
  }
  const byName = new Map<string, KafkaNode>();
  for (const count of counts) for (const node of kafkaNodes(ctx.runDir, portValues(PORTS, ctx.env), count)) if (!byName.has(node.name)) byName.set(node.name, node);
  return [...byName.values()];
}

/** The broker answers ApiVersions (over TLS unless SHOP_TLS=off, its certificate verified). */
const apiAnswers = async (ctx: InfraContext, node: KafkaNode) => {
  const tls = localTls(ctx.env);
  return apiVersionsAnswered(await tcpExchange(node.port, API_VERSIONS_REQUEST, 10, 3000, tls && { ca: readFileSync(tls.caFile, 'utf8') }));
};

const startedLogged = (ctx: InfraContext, node: KafkaNode) => {
  try {
    return readFileSync(logFile(ctx, node.name), 'utf8').includes('Kafka Server started');
  } catch {
    return false;
  }
};

/** A hash of the users and passwords the data dir must be formatted with. */
function scramFingerprint(ctx: InfraContext): string {
  const lines = kafkaUsers(ctx.env).map(({ user, password }) => `SCRAM-SHA-512 ${user} ${password}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** Short-lived Kafka tools (StorageTool), their output appended to the node's log. */
async function kafkaTool(ctx: InfraContext, node: KafkaNode, args: string[], stdoutToLog: boolean) {
  const out = openSync(logFile(ctx, node.name), 'a');
  try {
    return await run('java', ['-Xmx256m', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${node.dir}/log4j2.properties`, '-cp', `${ctx.layout.kafkaLibs}/*`, ...args], {
      env: ctx.env,
      stdout: stdoutToLog ? out : undefined,
      stderr: out,
    });
  } finally {
    closeSync(out);
  }
}

/**
 * SCRAM users can only be added at format time: a data dir formatted with other users (or none,
 * before SASL was on) is formatted again, which drops its topics and offsets. The cluster id is
 * kept, so a wiped data dir comes back as the same cluster.
 */
async function formatStorage(ctx: InfraContext, node: KafkaNode, nodes: readonly KafkaNode[]): Promise<void> {
  const users = scramFingerprint(ctx);
  let formattedFor = '';
  try {
    formattedFor = readFileSync(`${node.dir}/scram-users.sha256`, 'utf8').trimEnd();
  } catch {
    // never formatted with users
  }
  if (existsSync(`${node.dir}/data/meta.properties`) && formattedFor !== users) {
    ctx.log.log(`${node.name}: the data dir was formatted with other SCRAM users or passwords (or none); formatting it again (topics and offsets are dropped)`);
    rmSync(`${node.dir}/data`, { recursive: true, force: true });
    mkdirSync(`${node.dir}/data`, { recursive: true });
  }
  if (existsSync(`${node.dir}/data/meta.properties`)) return;
  // One cluster id for every node: the first node's.
  const idFile = `${nodes[0].dir}/cluster.id`;
  if (!readIfAny(idFile)) {
    const { stdout } = await kafkaTool(ctx, node, ['kafka.tools.StorageTool', 'random-uuid'], false);
    const id = stdout.trim().split('\n').pop() ?? '';
    if (!id) throw new InfraError(`${node.name}: could not generate a cluster id (see ${logFile(ctx, node.name)})`);
    writeFileSync(`${idFile}.tmp`, `${id}\n`);
    renameSync(`${idFile}.tmp`, idFile);
  }
  const clusterId = readIfAny(idFile);
  if (node.dir !== nodes[0].dir) writeFileSync(`${node.dir}/cluster.id`, `${clusterId}\n`);
  ctx.log.log(`${node.name}: formatting KRaft storage in ${node.dir}/data (cluster id ${clusterId})`);
  const all = kafkaUsers(ctx.env);
  ctx.log.log(`${node.name}: SCRAM-SHA-512 users ${all.map((u) => u.user).join(' ')} (passwords from KAFKA_<USER>_PASSWORD, default <user>-local)`);
  const scram = all.flatMap(({ user, password }) => ['--add-scram', `SCRAM-SHA-512=[name=${user},password=${password}]`]);
  const format = await kafkaTool(ctx, node, ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', `${node.dir}/server.properties`, '--ignore-formatted', ...scram], true);
  if (format.code !== 0) {
    showLogTail(ctx.log, [logFile(ctx, node.name)]);
    throw new InfraError(`${node.name}: storage format failed`);
  }
  writeFileSync(`${node.dir}/scram-users.sha256`, `${users}\n`);
}

function readIfAny(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function nodeServer(node: KafkaNode, nodes: readonly KafkaNode[]): ServerSpec {
  return {
    name: node.name,
    comms: ['java'],
    marker: () => `${node.dir}/server.properties`,
    ports: () => [node.port, node.controllerPort],
    healthy: (ctx) => apiAnswers(ctx, node),
    readyCheck: async (ctx) => (await apiAnswers(ctx, node)) && startedLogged(ctx, node),
    readyWhen: () => `ApiVersions answered on 127.0.0.1:${node.port} and 'Kafka Server started' logged`,
    timeout: { env: 'KAFKA_START_TIMEOUT', default: 120 },
    runningOn: () => `${node.port}`,
    prepare: async (ctx) => {
      const { kafkaLibs, kafkaVersion } = ctx.layout;
      requireProvisioned('kafka', existsSync(`${kafkaLibs}/kafka_2.13-${kafkaVersion}.jar`), `jars missing in ${kafkaLibs}`);
      mkdirSync(`${node.dir}/data`, { recursive: true });
      const [admin] = kafkaUsers(ctx.env); // the broker's own login
      const tls = localTls(ctx.env);
      const certificates = tls && { keystoreFile: tls.server('kafka').keystoreFile, caFile: tls.caFile };
      writeFileSync(`${node.dir}/server.properties`, serverProperties(node, nodes, admin.password, certificates), { mode: 0o600 });
      chmodSync(`${node.dir}/server.properties`, 0o600);
      writeFileSync(`${node.dir}/log4j2.properties`, log4j2Properties(logFile(ctx, node.name)));
      rotateLog(logFile(ctx, node.name));
      await formatStorage(ctx, node, nodes);
      const heap = text(ctx.env, 'KAFKA_HEAP_OPTS', defaultHeap(nodes.length));
      ctx.log.log(`${node.name}: starting Kafka ${kafkaVersion} on 127.0.0.1:${node.port} (controller :${node.controllerPort}, heap ${heap})`);
      const java = onPath('java', ctx.env);
      if (!java) throw new InfraError(`${node.name}: java is not on PATH (run scripts/infra/provision.sh kafka)`);
      return {
        cwd: node.dir,
        command: java,
        args: [
          ...words(heap),
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${node.dir}/log4j2.properties`,
          '-cp',
          `${kafkaLibs}/*`,
          'kafka.Kafka',
          `${node.dir}/server.properties`,
        ],
      };
    },
  };
}

const servers = (ctx: InfraContext, nodes = nodesOf(ctx.env, ctx.runDir)) => nodes.map((node) => nodeServer(node, nodes));

/** Every node's bootstrap address: what clients get (KAFKA_BROKERS). */
export const bootstrap = (nodes: readonly Pick<KafkaNode, 'port'>[]) => nodes.map((n) => `127.0.0.1:${n.port}`).join(',');

/**
 * As admin, waits until every broker is registered, creates the contract topics (and their DLQs)
 * laid out for this many brokers (topicLayout) and gives each principal exactly the ACLs derived
 * from libs/contracts' TOPOLOGY (scripts/infra/kafka-acls.mts; idempotent, about 2 s).
 */
async function applyAcls(ctx: InfraContext): Promise<void> {
  const t0 = Date.now();
  const tsx = `${ctx.repoRoot}/node_modules/.bin/tsx`;
  if (!isExecutable(tsx)) throw new InfraError('kafka: node_modules/.bin/tsx is missing (run npm install; npm ci refuses this lock file, see the README): it applies the topics and ACLs');
  const nodes = nodesOf(ctx.env, ctx.runDir);
  // A single node keeps ensureTopics' and the broker's defaults (3 partitions, one copy), as it always has.
  const layout = nodes.length === 1 ? {} : { KAFKA_NODES: `${nodes.length}`, ...topicSettingsEnv(topicLayout(nodes.length)) };
  const env = { ...ctx.env, ...clientSecurityEnv(ctx.env), KAFKA_BROKERS: bootstrap(nodes), ...layout };
  const { code, stdout, stderr } = await run(tsx, ['--tsconfig', `${ctx.repoRoot}/tsconfig.base.json`, `${ctx.infraDir}/kafka-acls.mts`], { env });
  const out = (stdout + stderr).replace(/\n+$/, '');
  if (code !== 0) {
    ctx.log.raw(`${out}\n`);
    throw new InfraError('kafka: could not apply the topics and ACLs');
  }
  ctx.log.log(`kafka: ${out} (${ctx.log.elapsed(t0)}s)`);
}

export const kafka: Component = {
  name: 'kafka',
  provision: 'kafka',
  ports: Object.values(PORTS),
  listenPorts: (env) => nodesOf(env).flatMap((n) => [n.port, n.controllerPort]),
  logFile: (ctx) => logFile(ctx, nodesOf(ctx.env, ctx.runDir)[0].name),

  // Every node is launched before any is awaited: KRaft voters elect a leader only once a quorum runs.
  async launch(ctx) {
    const launched: number[] = [];
    for (const server of servers(ctx)) {
      const pid = await launchServer(ctx, server);
      if (pid !== undefined) launched.push(pid);
    }
    return launched;
  },

  // Each node's "Kafka Server started" means its broker registered with the active controller (so
  // the quorum has a leader); kafka-acls.mts then waits until the admin client sees every broker.
  async ready(ctx, launched, signal) {
    for (const server of servers(ctx)) {
      // The pid file says which launched pid is this node's (it may have died meanwhile: the wait says so).
      const pid = readPid(pidFile(ctx, server.name));
      if (pid !== undefined && launched.includes(pid)) await waitServer(ctx, server, pid, signal);
    }
    signal?.throwIfAborted();
    await applyAcls(ctx);
  },

  healthy: async (ctx) => (await Promise.all(nodesOf(ctx.env, ctx.runDir).map((node) => apiAnswers(ctx, node)))).every(Boolean),
  // The first node that runs: status says unhealthy (not stopped) while any node is down.
  pid: async (ctx) => servers(ctx).map((server) => serverPid(ctx, server)).find((pid) => pid !== undefined),

  // Every node at once: a node stopped last, after the others, has no quorum left for its
  // controlled shutdown and would wait until SIGKILL.
  async stop(ctx) {
    await Promise.all(servers(ctx, nodesToStop(ctx)).map((server) => stopServer(ctx, server)));
  },

  url: (ctx) => {
    const nodes = nodesOf(ctx.env, ctx.runDir);
    const controllers = nodes.map((n) => `127.0.0.1:${n.controllerPort}`).join(',');
    const tls = localTls(ctx.env);
    return `bootstrap ${bootstrap(nodes)}, SASL/SCRAM-SHA-512 ${tls ? `over TLS (CA ${tls.caFile})` : 'in plain text (SHOP_TLS=off)'} (controller${nodes.length > 1 ? 's' : ''} ${controllers})`;
  },
};
