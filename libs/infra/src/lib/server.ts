import { rmSync } from 'node:fs';
import type { Component, ComponentName } from './component';
import { logFile, pidFile, type InfraContext } from './context';
import { int, resolvePorts, type PortSetting } from './settings';
import { InfraError } from './toolkit/log';
import { requirePortsFree, waitPortsFree } from './toolkit/ports';
import { ourPid, startDetached, stopGroup, type Env } from './toolkit/process';
import { waitFor } from './toolkit/wait';

/**
 * A server that runs as one detached process of ours (its own session and process group),
 * recognised by its process name and a marker on its command line (a path inside this run dir),
 * so that a stop never touches another set's server and a lost pid file is recovered.
 */
export interface ServerSpec {
  /** Pid file, log file and the name in progress lines. */
  name: string;
  /** Process names it may run as (Keycloak: java, or kc.sh before it starts java). */
  comms: readonly string[];
  marker(ctx: InfraContext): string;
  ports(ctx: InfraContext): number[];
  /** Answers (status; "already running" when a server of ours is found). */
  healthy(ctx: InfraContext): Promise<boolean>;
  /** Ready after a start, if stricter than healthy (Kafka also wants its "started" log line). */
  readyCheck?(ctx: InfraContext): Promise<boolean>;
  /** What ready means, for the failure message. */
  readyWhen(ctx: InfraContext): string;
  /** The start timeout's variable and default in seconds. */
  timeout: { env: string; default: number };
  /** For "already running (pid N) on 127.0.0.1:<this>". */
  runningOn(ctx: InfraContext): string;
  /** Checks what it needs, writes its config, rotates its log, logs a line; the command to run detached. */
  prepare(ctx: InfraContext): Promise<{ cwd: string; command: string; args: string[]; env?: Env }>;
}

export function serverPid(ctx: InfraContext, spec: ServerSpec): number | undefined {
  for (const comm of spec.comms) {
    const pid = ourPid(pidFile(ctx, spec.name), comm, spec.marker(ctx));
    if (pid !== undefined) return pid;
  }
  return undefined;
}

export async function launchServer(ctx: InfraContext, spec: ServerSpec): Promise<number | undefined> {
  const running = serverPid(ctx, spec);
  if (running !== undefined) {
    if (await spec.healthy(ctx)) {
      ctx.log.log(`${spec.name}: already running (pid ${running}) on 127.0.0.1:${spec.runningOn(ctx)}`);
      return undefined;
    }
    ctx.log.log(`${spec.name}: process ${running} is up but not answering yet; waiting for it`);
    return running;
  }
  rmSync(pidFile(ctx, spec.name), { force: true });
  await requirePortsFree(spec.name, spec.ports(ctx), ctx.runDir);
  const { cwd, command, args, env } = await spec.prepare(ctx);
  return startDetached({ cwd, command, args, env: env ?? ctx.env, logFile: logFile(ctx, spec.name), pidFile: pidFile(ctx, spec.name) });
}

export async function waitServer(ctx: InfraContext, spec: ServerSpec, pid: number, signal?: AbortSignal): Promise<void> {
  await waitFor(ctx.log, {
    name: spec.name,
    pid,
    timeoutS: int(ctx.env, spec.timeout.env, spec.timeout.default),
    description: spec.readyWhen(ctx),
    logFile: logFile(ctx, spec.name),
    check: () => (spec.readyCheck ?? spec.healthy)(ctx),
    signal,
  });
}

export async function stopServer(ctx: InfraContext, spec: ServerSpec): Promise<void> {
  const pid = serverPid(ctx, spec);
  if (pid !== undefined) {
    const t0 = Date.now();
    ctx.log.log(`${spec.name}: stopping (pid ${pid}, SIGTERM to its process group)`);
    await stopGroup(ctx.log, spec.name, pid, ctx.stopTimeoutS);
    ctx.log.log(`${spec.name}: stopped in ${ctx.log.elapsed(t0)}s`);
  } else {
    ctx.log.log(`${spec.name}: not running`);
  }
  rmSync(pidFile(ctx, spec.name), { force: true });
  await waitPortsFree(ctx.log, spec.name, spec.ports(ctx));
}

/** Fails with the provisioning hint when a file the server needs is missing. */
export function requireProvisioned(name: string, present: boolean, problem: string): void {
  if (!present) throw new InfraError(`${name}: ${problem} (run scripts/infra/provision.sh ${name})`);
}

/** What a component that is one such server adds to it: its table entry. */
export interface ServerComponent {
  name: ComponentName;
  ports: readonly PortSetting[];
  url(ctx: InfraContext): string;
}

/** A component that is one server (all but Postgres, which pg_ctl runs, and Kafka, which may be several nodes). */
export function serverComponent(base: ServerComponent, spec: Omit<ServerSpec, 'name' | 'ports'>): Component {
  const server: ServerSpec = { ...spec, name: base.name, ports: (ctx) => resolvePorts(base.ports, ctx.env) };
  return {
    name: base.name,
    provision: base.name,
    ports: base.ports,
    listenPorts: (env) => resolvePorts(base.ports, env),
    logFile: (ctx) => logFile(ctx, base.name),
    launch: async (ctx) => {
      const pid = await launchServer(ctx, server);
      return pid === undefined ? [] : [pid];
    },
    ready: async (ctx, launched, signal) => {
      for (const pid of launched) await waitServer(ctx, server, pid, signal);
    },
    healthy: (ctx) => server.healthy(ctx),
    pid: async (ctx) => serverPid(ctx, server),
    stop: (ctx) => stopServer(ctx, server),
    url: (ctx) => base.url(ctx),
  };
}
