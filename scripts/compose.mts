// `npm run compose -- <docker compose arguments>`: the project's docker-compose.yml, run for real on
// a machine without Docker. It provisions podman (Debian's packages) and Docker Compose (built from
// the Go module proxy), builds every image the file names from the artifacts the local
// infrastructure already uses (docker/local-images/, no image registry needed) and the project's
// own Dockerfile, keeps a podman engine running behind a Docker-compatible socket
// (scripts/compose/engine.mts), then runs Docker Compose itself with those images:
//
//   npm run compose -- up -d --wait     the whole shop, detached, once every healthcheck passes
//   npm run compose -- ps | logs order | down -v
//   npm run compose -- build            only the images
//
// With Docker Engine, run `docker compose up` instead: the same file, with the official images.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildLocalImages, LOCAL_IMAGES, podmanBuild } from './compose/local-images.mts';

const root = resolve(import.meta.dirname, '..');
const cacheDir = process.env.SHOP_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shop-platform');
const runDir = resolve(root, process.env.SHOP_COMPOSE_RUN_DIR ?? '.run/compose');
const dockerCompose = join(cacheDir, 'bin/docker-compose');
/** The project's own image (Dockerfile): the five services, the console and schema-init. */
const SHOP_IMAGE = 'localhost/shop-platform:local';
/** Official images no registry here serves and nothing here can build: left out of `up` (README says so). */
const NOT_BUILT_HERE = ['grafana'];
/** Compose commands that create containers, and so need the images first. */
const NEEDS_IMAGES = ['up', 'create', 'run', 'start', 'restart'];

const log = (message: string) => console.log(`[compose] ${message}`);
function fail(message: string): never {
  console.error(`[compose] ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('-'));
if (!command) fail('usage: npm run compose -- <docker compose command> [arguments], e.g. `npm run compose -- up -d --wait`, `npm run compose -- down -v`');

// --- podman and Docker Compose -------------------------------------------------------------------
try {
  execFileSync('bash', [join(root, 'scripts/infra/provision.sh'), 'podman', 'docker-compose'], { cwd: root, stdio: 'inherit' });
} catch {
  fail('podman and Docker Compose are needed, and could not be provisioned: see the line above');
}

// podman's settings for these runs only (CONTAINERS_CONF; nothing global changes): Debian's crun
// refuses this kernel's hybrid cgroup layout, so runc with cgroupfs, through a wrapper that drops
// what a sandbox cannot set (scripts/compose/runc-wrapper.sh). Kept in the user cache, not the
// checkout: a container's restart policy re-runs the runtime long after this command has ended.
const podmanDir = join(cacheDir, 'podman');
mkdirSync(podmanDir, { recursive: true });
const wrapper = join(podmanDir, 'runc-wrapper.sh');
copyFileSync(join(root, 'scripts/compose/runc-wrapper.sh'), wrapper);
chmodSync(wrapper, 0o755);
const containersConf = join(podmanDir, 'containers.conf');
writeFileSync(
  containersConf,
  ['[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"', '[engine.runtimes]', `runc = ["${wrapper}"]`, ''].join('\n'),
);
const env: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: containersConf };

// --- images -----------------------------------------------------------------------------------------
let images: Record<string, string>;
if (NEEDS_IMAGES.includes(command) || command === 'build') {
  images = await buildLocalImages({ env, log: (line) => console.log(line) }).catch((error: Error) => fail(error.message));
  await buildShopImage(images['NODE_IMAGE']);
  if (command === 'build') process.exit(0);
} else {
  images = Object.fromEntries(LOCAL_IMAGES.map((image) => [image.variable, image.tag]));
}

/** The project's Dockerfile, FROM the local Node image; podman's layer cache makes a rebuild of unchanged sources quick. */
async function buildShopImage(nodeImage: string | undefined): Promise<void> {
  if (!nodeImage) fail('no local Node image was built (NODE_IMAGE)');
  const started = Date.now();
  log('shop image (Dockerfile: npm install and the Nx build of the five services and the console; cold: several minutes)');
  const { cached } = await podmanBuild(
    {
      name: 'shop',
      tag: SHOP_IMAGE,
      file: join(root, 'Dockerfile'),
      context: root,
      // Docker's image format keeps the Dockerfile's HEALTHCHECK (the OCI format has no place for it).
      args: ['--format', 'docker', '--build-arg', `NODE_IMAGE=${nodeImage}`],
      logFile: join(cacheDir, 'local-images/logs/shop.log'),
    },
    env,
  ).catch((error: Error) => fail(error.message));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`shop image ${SHOP_IMAGE}: ${cached ? `cached (${seconds} s)` : `built in ${seconds} s`}`);
}

// --- the engine ---------------------------------------------------------------------------------------
mkdirSync(runDir, { recursive: true });
const socket = join(runDir, 'podman.sock');
const pidFile = join(runDir, 'engine.pid');

function ping(): Promise<boolean> {
  return new Promise((answered) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      answered(res.statusCode === 200);
    });
    req.on('error', () => answered(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function enginePid(): number | undefined {
  const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : NaN);
  if (!Number.isInteger(pid)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function startEngine(): Promise<void> {
  if (enginePid() !== undefined && (await ping())) return;
  rmSync(socket, { force: true });
  const out = openSync(join(runDir, 'engine.log'), 'a');
  const engine = spawn(process.execPath, [join(root, 'scripts/compose/engine.mts'), socket], { env, detached: true, stdio: ['ignore', out, out] });
  engine.unref();
  writeFileSync(pidFile, String(engine.pid));
  const deadline = Date.now() + 30_000;
  while (!(await ping())) {
    if (Date.now() > deadline) fail(`podman's API did not answer on ${socket} within 30 s: see ${join(runDir, 'engine.log')}`);
    await new Promise((next) => setTimeout(next, 200));
  }
  log(`podman engine: unix://${socket} (pid ${engine.pid}, log ${join(runDir, 'engine.log')})`);
}

async function stopEngine(): Promise<void> {
  const pid = enginePid();
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && enginePid() !== undefined; i++) await new Promise((next) => setTimeout(next, 100));
  rmSync(pidFile, { force: true });
  log('podman engine stopped (no compose container left)');
}

await startEngine();

// --- Docker Compose ---------------------------------------------------------------------------------
const composeArgs = [...args];
if (command === 'up') {
  // Every image is local: never ask a registry (a pull would only time out), and leave out what
  // could not be built (with scale 0 and no pull, Docker Compose neither pulls nor creates it).
  const extra = args.some((a) => a === '--pull' || a.startsWith('--pull=')) ? [] : ['--pull', 'never'];
  extra.push(...NOT_BUILT_HERE.flatMap((name) => ['--scale', `${name}=0`]));
  composeArgs.splice(composeArgs.indexOf('up') + 1, 0, ...extra);
  log(`not started here: ${NOT_BUILT_HERE.join(', ')} (its official image is not reachable, and it cannot be built from the registries that are)`);
}
const composeEnv: NodeJS.ProcessEnv = { ...env, DOCKER_HOST: `unix://${socket}`, SHOP_IMAGE, ...images };
const compose = spawn(dockerCompose, ['--project-directory', root, '-f', join(root, 'docker-compose.yml'), ...composeArgs], { cwd: root, env: composeEnv, stdio: 'inherit' });
// Ctrl-C reaches Docker Compose itself (same process group): it stops what it runs attached, then
// exits, and so do we. A SIGTERM is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => compose.kill('SIGTERM'));
const code: number = await new Promise((done) => compose.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0))));

if (command === 'down') {
  const left = execFileSync('podman', ['ps', '--all', '--quiet', '--filter', 'label=com.docker.compose.project'], { env, encoding: 'utf8' }).trim();
  if (!left) await stopEngine();
}
process.exit(code);
