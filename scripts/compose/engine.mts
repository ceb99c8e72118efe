// The container engine behind `npm run compose`: podman's Docker-compatible API on a unix socket
// (`podman system service`), plus what podman leaves to systemd and a machine without systemd
// lacks: running each container's healthcheck on its interval. Without it a container's health
// stays "starting" for ever, and `depends_on: condition: service_healthy` never lets anything start.
// Started detached by scripts/compose.mts (one per checkout, its pid in .run/compose/engine.pid);
// SIGTERM stops it and the API service with it. The containers do not depend on it: conmon keeps
// each one and applies its restart policy.
//
//   node scripts/compose/engine.mts <socket path>
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const socket = process.argv[2];
if (!socket) {
  console.error('usage: node scripts/compose/engine.mts <socket path>');
  process.exit(2);
}
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

const service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: ['ignore', 'inherit', 'inherit'] });
service.on('exit', (code, signal) => {
  log(`podman system service ended (${signal ?? `exit ${code}`})`);
  process.exit(stopping ? 0 : 1);
});

/**
 * A running container's healthcheck: when it is next due, and whether a run is under way. Until its
 * first pass within its start period it runs every START_INTERVAL_MS, as Docker's `start_interval`
 * does (podman 4.3 drops that setting), then every `interval`: a quick start without a costly
 * check every few seconds for the container's whole life.
 */
interface Scheduled {
  intervalMs: number;
  startPeriodEndsAt: number;
  passed: boolean;
  dueAt: number;
  running: boolean;
}
const START_INTERVAL_MS = 2000;
const scheduled = new Map<string, Scheduled | null>(); // container id -> its schedule (null: no healthcheck)

interface InspectedHealthcheck {
  Test?: string[];
  Interval?: number; // nanoseconds
  StartPeriod?: number; // nanoseconds
}

async function healthcheckOf(id: string): Promise<Scheduled | null> {
  const { stdout } = await run('podman', ['container', 'inspect', '--format', '{{json .Config.Healthcheck}}', id]);
  const check = JSON.parse(stdout.trim() || 'null') as InspectedHealthcheck | null;
  if (!check?.Test?.length || check.Test[0] === 'NONE') return null;
  // Docker's defaults: interval 30 s, no start period. The first check runs at once.
  const intervalMs = check.Interval ? Math.max(1000, check.Interval / 1e6) : 30_000;
  const now = Date.now();
  return { intervalMs, startPeriodEndsAt: now + (check.StartPeriod ?? 0) / 1e6, passed: false, dueAt: now, running: false };
}

async function tick(): Promise<void> {
  const { stdout } = await run('podman', ['ps', '--quiet', '--no-trunc']);
  const running = new Set(stdout.split('\n').filter(Boolean));
  for (const id of scheduled.keys()) if (!running.has(id)) scheduled.delete(id);
  for (const id of running) {
    if (!scheduled.has(id)) scheduled.set(id, await healthcheckOf(id).catch(() => null));
    const check = scheduled.get(id);
    if (!check || check.running || Date.now() < check.dueAt) continue;
    check.running = true;
    // Exit 1 means "unhealthy": podman has recorded it, counted against the retries; nothing to do here.
    run('podman', ['healthcheck', 'run', id])
      .then(() => (check.passed = true))
      .catch(() => undefined)
      .finally(() => {
        check.running = false;
        const starting = !check.passed && Date.now() < check.startPeriodEndsAt;
        check.dueAt = Date.now() + (starting ? Math.min(START_INTERVAL_MS, check.intervalMs) : check.intervalMs);
      });
  }
}

/**
 * Looks for started and stopped containers every second while one is starting, else every 5 s:
 * `podman ps` is a process of its own, and an idle shop should not pay for it every second.
 */
function nextTickMs(): number {
  const now = Date.now();
  const starting = [...scheduled.values()].some((check) => check && !check.passed && now < check.startPeriodEndsAt);
  return starting || scheduled.size === 0 ? 1000 : 5000;
}

let stopping = false;
let timer: NodeJS.Timeout | undefined;
function loop(): void {
  tick()
    .catch((error: Error) => log(`healthchecks: ${error.message}`))
    .finally(() => {
      if (!stopping) timer = setTimeout(loop, nextTickMs());
    });
}
loop();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    clearTimeout(timer);
    service.kill('SIGTERM');
  });
}
log(`podman API on unix://${socket}; healthchecks run here`);
