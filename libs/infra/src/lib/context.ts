import { lstatSync, mkdirSync, renameSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { int, kafkaPasswordVariable, kafkaUsers, text } from './settings';
import { InfraError, progressLogger, type Logger } from './toolkit/log';
import { run, type Env } from './toolkit/process';

/**
 * What scripts/infra/provision.sh fetches and builds, and where: the pinned versions and the cache
 * layout are said once, in scripts/infra/lib.sh, beside the provisioner that fills the cache.
 */
export interface Layout {
  cacheDir: string;
  kafkaVersion: string;
  kafkaLibs: string;
  jaegerBin: string;
  mailpitBin: string;
  keycloakVersion: string;
  /** The unpacked and built distribution, never run in place (each run dir gets its own home). */
  keycloakHome: string;
  keycloakBuildOptions: string;
  registryVersion: string;
  registryHome: string;
  /** The newest /usr/lib/postgresql/<major>/bin (or SHOP_PG_BIN); undefined when there is none. */
  pgBin?: string;
}

/** One invocation's view: where things are, the environment its servers get, where progress goes. */
export interface InfraContext {
  repoRoot: string;
  /** scripts/infra: provision.sh, lib.sh, kafka-acls.mts, the Keycloak realm. */
  infraDir: string;
  /** Runtime data, pid files, logs: SHOP_RUN_DIR, default <repo>/.run/infra. */
  runDir: string;
  /** The environment given, plus what the servers and scripts started from here need. */
  env: Env;
  layout: Layout;
  log: Logger;
  /** SHOP_STOP_TIMEOUT: seconds between SIGTERM and SIGKILL. */
  stopTimeoutS: number;
}

export interface InfraOptions {
  /** The environment to read settings from (ports, SHOP_RUN_DIR, ...); the CLI passes process.env. */
  env: Env;
  /** Resolves a relative SHOP_RUN_DIR or SHOP_CACHE_DIR; default the process's. */
  cwd?: string;
  log?: Logger;
}

const LAYOUT_VARIABLES = [
  'SHOP_CACHE_DIR',
  'KAFKA_VERSION',
  'KAFKA_LIBS',
  'JAEGER_BIN',
  'MAILPIT_BIN',
  'KEYCLOAK_VERSION',
  'KEYCLOAK_HOME',
  '${KEYCLOAK_BUILD_OPTIONS[*]}',
  'REGISTRY_VERSION',
  'REGISTRY_HOME',
];

/** `bash -c 'source lib.sh; ...'`: the layout, or the output of one of its functions. */
async function fromLibSh(infraDir: string, script: string, env: Env, cwd: string): Promise<string> {
  const { code, stdout, stderr } = await run('bash', ['-c', `source "$1" || exit 1\n${script}`, '_', join(infraDir, 'lib.sh')], { env, cwd });
  if (code !== 0) throw new InfraError(`scripts/infra/lib.sh failed (exit ${code}): ${stderr.trim()}`);
  return stdout;
}

export async function infraContext(options: InfraOptions): Promise<InfraContext> {
  const cwd = options.cwd ?? process.cwd();
  const repoRoot = options.env['SHOP_REPO_ROOT'] || realpathSync(resolve(__dirname, '../../../..'));
  const infraDir = join(repoRoot, 'scripts/infra');
  // As bash did it ("$PWD/$SHOP_RUN_DIR", not normalised): the markers on a server's command line
  // are built from it, and a server started by the old scripts must still be recognised.
  let runDir = text(options.env, 'SHOP_RUN_DIR', `${repoRoot}/.run/infra`);
  if (!runDir.startsWith('/')) runDir = `${cwd}/${runDir}`;
  // The project's Node 24 and tsx first, as infra.sh puts them (kafka-acls.mts runs on them), for in-process callers too.
  const bin = join(repoRoot, 'node_modules/.bin');
  const path = options.env['PATH'] ?? '';
  const base = { ...options.env, SHOP_REPO_ROOT: repoRoot, SHOP_RUN_DIR: runDir, PATH: path.split(delimiter)[0] === bin ? path : `${bin}${delimiter}${path}` };
  const values = (await fromLibSh(infraDir, `printf '%s\\n' ${LAYOUT_VARIABLES.map((v) => `"${v.startsWith('$') ? v : `$${v}`}"`).join(' ')} "$(pg_bin_dir || true)"`, base, cwd)).split('\n');
  const [cacheDir, kafkaVersion, kafkaLibs, jaegerBin, mailpitBin, keycloakVersion, keycloakHome, keycloakBuildOptions, registryVersion, registryHome, pgBin] = values;
  const passwords = Object.fromEntries(kafkaUsers(options.env).map(({ user, password }) => [kafkaPasswordVariable(user), password]));
  return {
    repoRoot,
    infraDir,
    runDir,
    env: { ...base, SHOP_CACHE_DIR: cacheDir, ...passwords },
    layout: { cacheDir, kafkaVersion, kafkaLibs, jaegerBin, mailpitBin, keycloakVersion, keycloakHome, keycloakBuildOptions, registryVersion, registryHome, pgBin: pgBin || undefined },
    log: options.log ?? progressLogger(),
    stopTimeoutS: int(options.env, 'SHOP_STOP_TIMEOUT', 15),
  };
}

/** A Java >= 21 for the schema registry (lib.sh's registry_java, which provisioning uses too). */
export async function registryJava(ctx: InfraContext): Promise<string | undefined> {
  try {
    return (await fromLibSh(ctx.infraDir, 'registry_java', ctx.env, ctx.repoRoot)).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const logFile = (ctx: InfraContext, name: string) => `${ctx.runDir}/logs/${name}.log`;
export const pidFile = (ctx: InfraContext, name: string) => `${ctx.runDir}/pids/${name}.pid`;

export function ensureRunDirs(ctx: InfraContext): void {
  mkdirSync(`${ctx.runDir}/logs`, { recursive: true });
  mkdirSync(`${ctx.runDir}/pids`, { recursive: true });
}

/** Keeps one previous log (<log>.prev), so that a readiness check reading the log sees this start's output only. */
export function rotateLog(file: string): void {
  try {
    if (!lstatSync(file).isSymbolicLink()) renameSync(file, `${file}.prev`);
  } catch {
    // no log yet
  }
  writeFileSync(file, '');
}
