import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { logFile, rotateLog, type InfraContext } from '../context';
import { portValues, text } from '../settings';
import { requireProvisioned, serverComponent } from '../server';
import { InfraError } from '../toolkit/log';
import { httpOk } from '../toolkit/ports';
import { isExecutable } from '../toolkit/process';

/** Keycloak (OpenID Connect provider), built at provisioning and run with `kc.sh start --optimized`. */
const REALM = 'shop';
const PORTS = { http: { env: 'KEYCLOAK_PORT', default: 8180 } } as const;
const httpPort = (ctx: Pick<InfraContext, 'env'>) => portValues(PORTS, ctx.env).http;
const dir = (ctx: InfraContext) => `${ctx.runDir}/keycloak`;
const realmFile = (ctx: InfraContext) => `${ctx.infraDir}/keycloak/shop-realm.json`;
/** The realm's issuer, what services get as OIDC_ISSUER. */
export const issuer = (ctx: Pick<InfraContext, 'env'>) => `http://127.0.0.1:${httpPort(ctx)}/realms/${REALM}`;
const adminUser = (ctx: InfraContext) => text(ctx.env, 'KEYCLOAK_ADMIN_USER', 'admin');

/**
 * Keycloak writes into its home (data/: the H2 database, tmp, transaction logs; lib/quarkus if it
 * ever rebuilds), so each run dir gets its own: bin/, conf/ and the small parts of lib/ (with the
 * build made at provisioning) are copied, the jars (lib/lib), themes and providers are links into
 * the untouched distribution in the cache, and data/ is a link to keycloak/data so that rebuilding
 * the home keeps the database.
 */
function prepareHome(ctx: InfraContext): void {
  const home = `${dir(ctx)}/home`;
  const from = ctx.layout.keycloakHome;
  if (existsSync(`${home}/.from`) && readFileSync(`${home}/.from`, 'utf8').trimEnd() === from) return;
  ctx.log.log(`keycloak: preparing its home ${home} (from ${from})`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(`${home}/lib`, { recursive: true });
  mkdirSync(`${dir(ctx)}/data`, { recursive: true });
  const entries = [...readdirSync(from), ...readdirSync(`${from}/lib`).map((e) => `lib/${e}`)].filter((e) => !/(^|\/)\./.test(e));
  for (const name of entries) {
    if (name === 'lib' || name === 'data') continue;
    if (['bin', 'conf', 'lib/quarkus-run.jar', 'lib/app', 'lib/quarkus'].includes(name)) cpSync(`${from}/${name}`, `${home}/${name}`, { recursive: true, verbatimSymlinks: true });
    else symlinkSync(`${from}/${name}`, `${home}/${name}`);
  }
  symlinkSync(`${dir(ctx)}/data`, `${home}/data`);
  writeFileSync(`${home}/.from`, `${from}\n`);
}

/**
 * The realm comes from the repo on every start (--import-realm reads <home>/data/import). Keycloak
 * skips the import when the realm exists, so when the realm file changed since the database was
 * created, the database is recreated (it holds nothing else worth keeping locally). The file's
 * placeholders (`${SHOP_OPS_CLIENT_SECRET:ops-local}`) are resolved from the environment at import,
 * so the values they resolve to count as part of the file.
 */
function prepareRealm(ctx: InfraContext): void {
  const data = `${dir(ctx)}/data`;
  const file = realmFile(ctx);
  if (!existsSync(file)) throw new InfraError(`keycloak: realm file ${file} missing`);
  const content = readFileSync(file, 'utf8');
  const resolved = [...content.matchAll(/\$\{(\w+)(?::[^}]*)?\}/g)].map(([, name]) => `${name}=${ctx.env[name] ?? ''}`);
  const sum = createHash('sha256').update(content).update(resolved.join('\n')).digest('hex');
  let previous = '';
  try {
    previous = readFileSync(`${data}/realm.sha256`, 'utf8').trimEnd();
  } catch {
    // first start
  }
  if (existsSync(`${data}/h2`) && previous !== sum) {
    ctx.log.log(`keycloak: ${file} changed since the database in ${data}/h2 was created; recreating it`);
    rmSync(`${data}/h2`, { recursive: true, force: true });
  }
  mkdirSync(`${data}/import`, { recursive: true });
  for (const old of readdirSync(`${data}/import`)) if (old.endsWith('.json')) rmSync(`${data}/import/${old}`, { force: true });
  cpSync(file, `${data}/import/shop-realm.json`);
  writeFileSync(`${data}/realm.sha256`, `${sum}\n`);
}

export const keycloak = serverComponent(
  {
    name: 'keycloak',
    ports: Object.values(PORTS),
    url: (ctx) => `issuer ${issuer(ctx)}, admin console http://127.0.0.1:${httpPort(ctx)}/admin (${adminUser(ctx)})`,
  },
  {
    // The pid file holds kc.sh's pid: kc.sh runs java as its child and forwards SIGTERM to it (after
    // a re-augmentation it execs java in its place instead). Both carry the marker (kc.sh's path,
    // and java's -Dkc.home.dir); stop signals the whole process group.
    comms: ['java', 'kc.sh'],
    marker: (ctx) => `${dir(ctx)}/home/bin/`,
    healthy: (ctx) => httpOk(`${issuer(ctx)}/.well-known/openid-configuration`),
    readyWhen: (ctx) => `GET ${issuer(ctx)}/.well-known/openid-configuration = 200`,
    timeout: { env: 'KEYCLOAK_START_TIMEOUT', default: 240 },
    runningOn: (ctx) => `${httpPort(ctx)}`,
    prepare: async (ctx) => {
      requireProvisioned('keycloak', isExecutable(`${ctx.layout.keycloakHome}/bin/kc.sh`), `${ctx.layout.keycloakHome} missing`);
      prepareHome(ctx);
      prepareRealm(ctx);
      rotateLog(logFile(ctx, 'keycloak'));
      const kcPort = httpPort(ctx);
      ctx.log.log(
        `keycloak: starting Keycloak ${ctx.layout.keycloakVersion} (built at provisioning: ${ctx.layout.keycloakBuildOptions}; realm '${REALM}' from ${realmFile(ctx)}) on 127.0.0.1:${kcPort}; ready in about 30 s`,
      );
      // `start --optimized` runs the build made at provisioning as it is (no Quarkus build on each
      // start): plain HTTP on 127.0.0.1 only, and the local cache of a single instance (the
      // distributed default would listen for cluster peers on port 7800 of a non-loopback
      // address). --hostname fixes the issuer whatever name a client uses.
      return {
        cwd: dir(ctx),
        command: `${dir(ctx)}/home/bin/kc.sh`,
        args: [
          'start',
          '--optimized',
          '--http-enabled=true',
          '--http-host=127.0.0.1',
          `--http-port=${kcPort}`,
          `--hostname=http://127.0.0.1:${kcPort}`,
          '--cache=local',
          '--import-realm',
          '--log-console-color=false',
        ],
        // Read on the first start in this run dir only (it creates the master realm's admin once);
        // in the environment rather than arguments so they stay out of `ps`.
        env: { ...ctx.env, KC_BOOTSTRAP_ADMIN_USERNAME: adminUser(ctx), KC_BOOTSTRAP_ADMIN_PASSWORD: text(ctx.env, 'KEYCLOAK_ADMIN_PASSWORD', 'admin') },
      };
    },
  },
);
