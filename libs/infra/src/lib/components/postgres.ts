import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Component } from '../component';
import { logFile, pidFile, type InfraContext } from '../context';
import { int, portValues, postgresRoles, resolvePorts, text, words } from '../settings';
import { InfraError } from '../toolkit/log';
import { requirePortsFree, waitPortsFree } from '../toolkit/ports';
import { localTls } from '../tls';
import { asPostgres, isRoot, run, type Env } from '../toolkit/process';
import { showLogTail, waitFor } from '../toolkit/wait';

/**
 * PostgreSQL from Debian's binaries, a cluster of its own in the run dir, run by pg_ctl (which
 * detaches the postmaster itself). Each service signs in as its own role, owner of its database
 * only (postgresRoles); the superuser `postgres` is trusted on 127.0.0.1 and the socket, for
 * tests and tools on this development machine. TCP connections only over TLS, with a certificate of
 * the local CA (tls.ts), unless SHOP_TLS=off.
 */
const PORTS = { postgres: { env: 'PGPORT', default: 5432 } } as const;
const pgPort = (ctx: InfraContext) => portValues(PORTS, ctx.env).postgres;

interface Paths {
  bin: string;
  root: string;
  data: string;
  sock: string;
  log: string;
}

function bin(ctx: InfraContext): string {
  if (!ctx.layout.pgBin) throw new InfraError('postgres: no server binaries under /usr/lib/postgresql/<major>/bin (run scripts/infra/provision.sh postgres)');
  return ctx.layout.pgBin;
}

const pathsAt = (bin: string, root: string): Paths => ({ bin, root, data: `${root}/data`, sock: `${root}/sock`, log: `${root}/postgres.log` });

/** stop, status and the wait after start: read-only, where start put it. */
function located(ctx: InfraContext): Paths {
  const location = `${ctx.runDir}/postgres.location`;
  let root = `${ctx.runDir}/postgres`;
  try {
    root = readFileSync(location, 'utf8').trimEnd() || root;
  } catch {
    // the default place
  }
  return pathsAt(bin(ctx), root);
}

async function pg(ctx: InfraContext, command: string, args: readonly string[], opts: { stdout?: 'ignore' | 'inherit' | number } = {}) {
  const run_ = asPostgres(command, args);
  return run(run_.command, run_.args, { cwd: run_.cwd, env: ctx.env, stdout: opts.stdout, stderr: opts.stdout === undefined ? undefined : 'inherit' });
}

const chownPostgres = (path: string) => run('chown', ['postgres:postgres', path]);

/**
 * Where data, socket and log go. As root the data dir must be owned by postgres and every parent
 * traversable by it; a clone under e.g. /root is not, so a dir in /tmp keyed by a hash of the run
 * dir is used instead. The same when the unix socket path would exceed its 107 bytes.
 */
async function setUp(ctx: InfraContext): Promise<Paths> {
  const pgBin = bin(ctx);
  const want = `${ctx.runDir}/postgres`;
  mkdirSync(want, { recursive: true });
  let reason = '';
  if (isRoot()) {
    await chownPostgres(want);
    await run('chmod', ['700', want]);
    if ((await run('runuser', ['-u', 'postgres', '--', 'test', '-x', want, '-a', '-w', want])).code !== 0) {
      reason = `the postgres user cannot reach ${want} (a parent directory is not traversable)`;
    }
  }
  if (!reason && want.length + String(pgPort(ctx)).length + 18 > 107) reason = `the unix socket path under ${want} would be too long`;
  let root = want;
  if (!reason) {
    rmSync(`${ctx.runDir}/postgres.location`, { force: true });
  } else {
    root = `${ctx.env['TMPDIR'] || '/tmp'}/shop-platform-pg-${createHash('sha256').update(ctx.runDir).digest('hex').slice(0, 12)}`;
    try {
      rmdirSync(want); // unused, avoid a misleading empty dir
    } catch {
      // not empty: leave it
    }
    if (!existsSync(root)) mkdirSync(root, { mode: 0o700 });
    if (isRoot()) await chownPostgres(root);
    const owner = (await run('stat', ['-c', '%U', root])).stdout.trim();
    const expected = isRoot() ? 'postgres' : (await run('id', ['-un'])).stdout.trim();
    if (owner !== expected) throw new InfraError(`postgres: fallback dir ${root} is owned by ${owner}, expected ${expected}`);
    writeFileSync(`${ctx.runDir}/postgres.location`, `${root}\n`);
    ctx.log.log(`postgres: ${reason}; using ${root} for data, socket and log`);
  }
  const paths = pathsAt(pgBin, root);
  // The component log lives with the data (written by the postgres user); logs/postgres.log points at it.
  mkdirSync(`${ctx.runDir}/logs`, { recursive: true });
  rmSync(logFile(ctx, 'postgres'), { force: true });
  symlinkSync(paths.log, logFile(ctx, 'postgres'));
  return paths;
}

/** libpq's settings for our own psql and pg_isready over TCP: TLS verified against the local CA, as every client does. */
function libpqEnv(ctx: InfraContext): Env {
  const tls = localTls(ctx.env);
  return tls ? { ...ctx.env, PGSSLMODE: 'verify-full', PGSSLROOTCERT: tls.caFile } : ctx.env;
}

/** -U/-d: otherwise the server logs 'role "root" does not exist' for every probe. */
const isReady = async (ctx: InfraContext, p: Paths) =>
  (await run(`${p.bin}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(pgPort(ctx)), '-U', 'postgres', '-d', 'postgres', '-t', '2'], { env: libpqEnv(ctx) })).code === 0;

const isRunning = async (ctx: InfraContext, p: Paths) => existsSync(`${p.data}/PG_VERSION`) && (await pg(ctx, `${p.bin}/pg_ctl`, ['-D', p.data, 'status'])).code === 0;

/** postmaster.pid: line 1 the pid, line 4 the port. */
function pidAndPort(p: Paths): { pid: number; port: string } | undefined {
  try {
    const lines = readFileSync(`${p.data}/postmaster.pid`, 'utf8').split('\n');
    return { pid: Number(lines[0]), port: lines[3] };
  } catch {
    return undefined;
  }
}

async function initdb(ctx: InfraContext, p: Paths): Promise<void> {
  const t0 = Date.now();
  const init = `${p.root}/data.init`;
  const version = (await run(`${p.bin}/postgres`, ['--version'])).stdout.trim();
  ctx.log.log(`postgres: initdb ${p.data} (${version})`);
  rmSync(init, { recursive: true, force: true });
  rmSync(p.data, { recursive: true, force: true });
  mkdirSync(init, { mode: 0o700 });
  if (isRoot()) await chownPostgres(init);
  // Into a temp dir and renamed on success: an interrupted initdb is redone.
  const initLog = `${p.root}/initdb.log`;
  const { code, stdout, stderr } = await pg(ctx, `${p.bin}/initdb`, ['-D', init, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  writeFileSync(initLog, stdout + stderr);
  if (code !== 0) {
    showLogTail(ctx.log, [initLog]);
    throw new InfraError(`postgres: initdb failed (full output: ${initLog})`);
  }
  // Settings owned by libs/infra live in an include file rewritten on start.
  writeFileSync(`${init}/postgresql.conf`, "\n# libs/infra (scripts/infra/infra.sh start) writes shop-infra.conf on every start\ninclude_if_exists = 'shop-infra.conf'\n", { flag: 'a' });
  renameSync(init, p.data);
  ctx.log.log(`postgres: initdb done in ${ctx.log.elapsed(t0)}s`);
}

async function writeConf(ctx: InfraContext, p: Paths): Promise<void> {
  mkdirSync(p.sock, { recursive: true });
  if (isRoot()) await chownPostgres(p.sock);
  const tls = localTls(ctx.env);
  if (tls) {
    // A copy in the data dir: the server runs as postgres, which may not reach the user's cache,
    // and wants its key owned by itself with mode 0600.
    const { certFile, keyFile } = tls.server('postgres');
    for (const [from, to] of [[certFile, 'server.crt'], [keyFile, 'server.key']]) {
      writeFileSync(`${p.data}/${to}`, readFileSync(from), { mode: 0o600 });
      chmodSync(`${p.data}/${to}`, 0o600);
      if (isRoot()) await chownPostgres(`${p.data}/${to}`);
    }
  }
  const host = tls ? 'hostssl' : 'host   ';
  writeFileSync(
    `${p.data}/shop-infra.conf`,
    `# Generated by libs/infra (scripts/infra/infra.sh start) on every start.
listen_addresses = '127.0.0.1'
port = ${pgPort(ctx)}
unix_socket_directories = '${p.sock.replaceAll("'", "''")}'
max_connections = 200
# Counts every statement per database (npm run bench reports SQL statements per order).
shared_preload_libraries = 'pg_stat_statements'
${tls ? `# TLS with a certificate of the local CA (copied from ${tls.dir}); pg_hba.conf takes TCP connections only over it.
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'` : '# SHOP_TLS=off: plain text.\nssl = off'}
`,
  );
  // Replaces initdb's (trust for everyone): a service's role must know its password.
  writeFileSync(
    `${p.data}/pg_hba.conf`,
    `# Generated by libs/infra (scripts/infra/infra.sh start) on every start.
# The superuser is trusted on this machine (tests, tools, the infrastructure's own setup); every
# other role, e.g. a service's shop_<service>, signs in with its password (SCRAM-SHA-256).${tls ? '\n# Over TCP only with TLS (hostssl): a connection without it finds no entry and is refused.' : ''}
local   all postgres trust
${host} all postgres 127.0.0.1/32 trust
local   all all scram-sha-256
${host} all all 127.0.0.1/32 scram-sha-256
`,
  );
  if (isRoot()) for (const file of ['shop-infra.conf', 'pg_hba.conf']) await chownPostgres(`${p.data}/${file}`);
}

/** SHOP_DATABASES and SHOP_EXTRA_DATABASES, created when missing. */
async function ensureDatabases(ctx: InfraContext, p: Paths): Promise<void> {
  const names = words(`${text(ctx.env, 'SHOP_DATABASES', 'shop_order shop_inventory shop_payment shop_shipping shop_notification')} ${ctx.env['SHOP_EXTRA_DATABASES'] ?? ''}`);
  for (const name of names) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new InfraError(`postgres: invalid database name '${name}' (lowercase letters, digits, _)`);
  }
  if (names.length === 0) return;
  const psql = (sql: string, extra: string[] = []) =>
    run(`${p.bin}/psql`, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(pgPort(ctx)), '-U', 'postgres', '-d', 'postgres', ...extra, '-c', sql], { env: libpqEnv(ctx), stderr: 'inherit' });
  const list = names.map((n) => `'${n}'`).join(',');
  const listed = await psql(`SELECT d FROM unnest(ARRAY[${list}]::text[]) AS d WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)`, ['-tA']);
  if (listed.code !== 0) throw new InfraError('postgres: could not list databases');
  const missing = words(listed.stdout);
  for (const name of missing) {
    if ((await psql(`CREATE DATABASE "${name}"`)).code !== 0) throw new InfraError(`postgres: CREATE DATABASE ${name} failed`);
  }
  if (missing.length) ctx.log.log(`postgres: created databases: ${missing.join(' ')}`);
  await ensureServiceRoles(ctx, names, (sql, database) => psql(sql, database ? ['-d', database] : []));
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The role of each service whose database is in `databases`: created when missing, its password
 * set, owner of its database and of everything in it (a cluster made before the roles existed
 * had its tables owned by the superuser), the database closed to every other role. On each start:
 * a changed POSTGRES_<SERVICE>_PASSWORD applies.
 */
async function ensureServiceRoles(ctx: InfraContext, databases: readonly string[], psql: (sql: string, database?: string) => Promise<{ code: number }>): Promise<void> {
  const roles = postgresRoles(ctx.env).filter((r) => databases.includes(r.database));
  if (roles.length === 0) return;
  // Every role in one session, then each database's objects in its own (a session sees one database).
  const rolesSql = roles
    .map(
      ({ role, database, password }) => `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN CREATE ROLE ${role}; END IF; END $$;
ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(password)};
ALTER DATABASE ${database} OWNER TO ${role};
REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`,
    )
    .join('\n');
  if ((await psql(rolesSql)).code !== 0) throw new InfraError(`postgres: could not set up the services' roles (${roles.map((r) => r.role).join(', ')})`);
  await Promise.all(
    roles.map(async ({ role, database }) => {
      // Tables, views and sequences of their own (a column's sequence follows its table).
      const objectsSql = `DO $$ DECLARE o record; BEGIN
  FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relowner <> ${literal(role)}::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO ${role}', CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, o.name);
  END LOOP;
END $$;`;
      if ((await psql(objectsSql, database)).code !== 0) throw new InfraError(`postgres: could not give ${role} the tables of ${database}`);
    }),
  );
}

export const postgres: Component = {
  name: 'postgres',
  provision: 'postgres',
  ports: Object.values(PORTS),
  listenPorts: (env) => resolvePorts(Object.values(PORTS), env),
  logFile: (ctx) => logFile(ctx, 'postgres'),

  async launch(ctx) {
    const p = await setUp(ctx);
    const wanted = pgPort(ctx);
    if (await isRunning(ctx, p)) {
      const running = pidAndPort(p);
      if (running?.port !== String(wanted)) {
        throw new InfraError(`postgres: the cluster in ${p.data} is already running on port ${running?.port} (pid ${running?.pid}), not PGPORT=${wanted}; stop it first`);
      }
      ctx.log.log(`postgres: already running (pid ${running.pid}) on 127.0.0.1:${wanted}`);
      writeFileSync(pidFile(ctx, 'postgres'), `${running.pid}\n`);
      return [];
    }
    await requirePortsFree('postgres', [wanted], ctx.runDir);
    if (!existsSync(`${p.data}/PG_VERSION`)) await initdb(ctx, p);
    const major = /.* ([0-9]+)(\.[0-9]+)*/.exec((await run(`${p.bin}/postgres`, ['--version'])).stdout.trim())?.[1];
    const dataVersion = readFileSync(`${p.data}/PG_VERSION`, 'utf8').trim();
    if (dataVersion !== major) {
      throw new InfraError(`postgres: ${p.data} was created by PostgreSQL ${dataVersion} but ${p.bin} is ${major}; remove ${p.data} (its data is lost) or set SHOP_PG_BIN`);
    }
    await writeConf(ctx, p);
    if (existsSync(p.log)) renameSync(p.log, `${p.log}.prev`);
    ctx.log.log(`postgres: starting PostgreSQL ${major} on 127.0.0.1:${wanted} (data ${p.data})`);
    // pg_ctl detaches the postmaster (setsid) and -w waits until it accepts connections.
    const timeout = String(int(ctx.env, 'POSTGRES_START_TIMEOUT', 60));
    if ((await pg(ctx, `${p.bin}/pg_ctl`, ['-D', p.data, '-l', p.log, '-w', '-t', timeout, 'start'], { stdout: 'ignore' })).code !== 0) {
      showLogTail(ctx.log, [p.log]);
      throw new InfraError(`postgres: pg_ctl start failed (log: ${p.log})`);
    }
    const started = pidAndPort(p);
    if (!started) throw new InfraError(`postgres: pg_ctl started it but ${p.data}/postmaster.pid is missing (log: ${p.log})`);
    writeFileSync(pidFile(ctx, 'postgres'), `${started.pid}\n`);
    return [started.pid];
  },

  async ready(ctx, launched, signal) {
    const p = located(ctx);
    for (const pid of launched) {
      await waitFor(ctx.log, {
        name: 'postgres',
        pid,
        timeoutS: int(ctx.env, 'POSTGRES_START_TIMEOUT', 60),
        description: `pg_isready -h 127.0.0.1 -p ${pgPort(ctx)}`,
        logFile: logFile(ctx, 'postgres'),
        tails: [p.log],
        check: () => isReady(ctx, p),
        signal,
      });
    }
    await ensureDatabases(ctx, p);
  },

  healthy: (ctx) => isReady(ctx, located(ctx)),

  async pid(ctx) {
    const p = located(ctx);
    return (await isRunning(ctx, p)) ? pidAndPort(p)?.pid : undefined;
  },

  async stop(ctx) {
    const p = located(ctx);
    if (await isRunning(ctx, p)) {
      const t0 = Date.now();
      ctx.log.log(`postgres: stopping (pid ${pidAndPort(p)?.pid}, pg_ctl stop -m fast)`);
      if ((await pg(ctx, `${p.bin}/pg_ctl`, ['-D', p.data, '-m', 'fast', '-w', '-t', '60', 'stop'], { stdout: 'ignore' })).code !== 0) {
        throw new InfraError(`postgres: pg_ctl stop failed (log: ${p.log})`);
      }
      ctx.log.log(`postgres: stopped in ${ctx.log.elapsed(t0)}s`);
    } else {
      ctx.log.log('postgres: not running');
    }
    rmSync(pidFile(ctx, 'postgres'), { force: true });
    await waitPortsFree(ctx.log, 'postgres', [pgPort(ctx)]);
  },

  url: (ctx) => {
    const tls = localTls(ctx.env);
    const mode = tls ? `TLS only: sslmode=verify-full sslrootcert=${tls.caFile}` : 'plain text (SHOP_TLS=off)';
    return `postgres://postgres@127.0.0.1:${pgPort(ctx)} (superuser, trusted locally); each service as shop_<service> with its password; ${mode}`;
  },
};
