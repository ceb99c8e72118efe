import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Component, ComponentName } from './component';
import { component, inTableOrder } from './components';
import { ensureRunDirs, type InfraContext } from './context';
import { InfraError } from './toolkit/log';
import { ensureCertificates } from './tls';
import { run } from './toolkit/process';

/**
 * start, stop, status and logs over a list of components: what scripts/infra/infra.sh does (its
 * CLI is src/cli.ts), usable in-process too.
 */

/** Two components configured onto one port would fail late and obscurely: say so first. */
function checkDistinctPorts(ctx: InfraContext, components: readonly Component[]): void {
  const owner = new Map<number, string>();
  for (const c of components) {
    for (const p of c.listenPorts(ctx.env)) {
      const other = owner.get(p);
      if (other !== undefined) throw new InfraError(`${c.name}: port ${p} is configured for ${other} too; give one of them another port`);
      owner.set(p, c.name);
    }
  }
}

/**
 * scripts/infra/provision.sh fetches or builds what is missing (a warm run only checks markers);
 * what it says goes to the context's logger as it comes (a quiet caller's logger keeps it too).
 */
async function provision(ctx: InfraContext, components: readonly Component[], signal?: AbortSignal): Promise<void> {
  const { code } = await run('bash', [`${ctx.infraDir}/provision.sh`, ...components.map((c) => c.provision)], { env: ctx.env, output: (text) => ctx.log.raw(text), signal });
  signal?.throwIfAborted();
  if (code !== 0) throw new InfraError(`provision.sh exited with ${code}`, code, true);
}

export interface StartOptions {
  /**
   * Gives up (npm run shop's Ctrl-C): ends provisioning, launches nothing more and stops waiting;
   * start rejects with the signal's reason. What was launched already runs on: stop stops it.
   */
  signal?: AbortSignal;
}

/**
 * Provisions (and makes the local CA's certificates when missing or expiring), then brings every component up at once: each is launched (or found running), then
 * awaited, then what follows its start is done (databases, topics and ACLs), beside the others, so
 * Kafka's JVM start overlaps everything else. The first failure stops the other waits.
 */
export async function start(ctx: InfraContext, names: readonly ComponentName[], options: StartOptions = {}): Promise<void> {
  const t0 = Date.now();
  const components = inTableOrder(names);
  checkDistinctPorts(ctx, components);
  const given = options.signal;
  given?.throwIfAborted();
  await provision(ctx, components, given);
  await ensureCertificates(ctx, components.map((c) => c.name));
  ensureRunDirs(ctx);
  const failed = new AbortController();
  const giveUp = () => failed.abort(given?.reason);
  given?.addEventListener('abort', giveUp, { once: true });
  try {
    await Promise.all(
      components.map(async (c) => {
        try {
          const launched = await c.launch(ctx);
          failed.signal.throwIfAborted();
          await c.ready(ctx, launched, failed.signal);
          if (launched.length > 0) ctx.log.log(`${c.name}: ready`);
        } catch (error) {
          if (!failed.signal.aborted) failed.abort(error);
          throw error;
        }
      }),
    );
  } finally {
    given?.removeEventListener('abort', giveUp);
  }
  ctx.log.log(`start: ${components.map((c) => c.name).join(' ')} ready in ${ctx.log.elapsed(t0)}s (run dir ${ctx.runDir})`);
  for (const c of components) ctx.log.out(`  ${c.name.padEnd(9)} ${c.url(ctx)}\n`);
}

/** Stops them one after the other, in reverse start order. */
export async function stop(ctx: InfraContext, names: readonly ComponentName[]): Promise<void> {
  const t0 = Date.now();
  for (const c of inTableOrder(names).reverse()) await c.stop(ctx);
  ctx.log.log(`stop: done in ${ctx.log.elapsed(t0)}s`);
}

export type ComponentState = 'running' | 'unhealthy' | 'stopped';

export interface ComponentStatus {
  name: ComponentName;
  state: ComponentState;
  pid?: number;
  ports: number[];
  url: string;
}

/** One line per component on stdout; resolves with every status (all running: each is 'running'). */
export async function status(ctx: InfraContext, names: readonly ComponentName[]): Promise<ComponentStatus[]> {
  const statuses = await Promise.all(
    inTableOrder(names).map(async (c): Promise<ComponentStatus> => {
      const pid = await c.pid(ctx).catch(() => undefined);
      const state: ComponentState = pid === undefined ? 'stopped' : (await c.healthy(ctx)) ? 'running' : 'unhealthy';
      return { name: c.name, state, pid, ports: c.listenPorts(ctx.env), url: c.url(ctx) };
    }),
  );
  for (const s of statuses) {
    ctx.log.out(`${s.name.padEnd(9)} ${s.state.padEnd(9)} pid ${String(s.pid ?? '-').padEnd(8)} port ${s.ports.join(',').padEnd(28)} ${s.url}\n`);
  }
  return statuses;
}

/** `tail -n <lines> [-F]` of their logs; resolves with tail's exit code. */
export async function logs(ctx: InfraContext, names: readonly ComponentName[], options: { follow: boolean; lines: string }): Promise<number> {
  const files: string[] = [];
  for (const name of names) {
    const file = component(name).logFile(ctx);
    if (existsSync(file)) files.push(file);
    else ctx.log.log(`${name}: no log yet (${file})`);
  }
  if (files.length === 0) return 0;
  const child = spawn('tail', ['-n', options.lines, ...(options.follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
  return new Promise((done) => {
    child.on('error', () => done(127));
    child.on('close', (code) => done(code ?? 1));
  });
}
