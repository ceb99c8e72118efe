import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError, type Logger } from './log';

export type Env = Readonly<Record<string, string | undefined>>;

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Exists and is not a zombie. Zombies matter: orphaned servers are reaped late by this machine's
 * pid 1 (about 2 s), and a signal 0 succeeds on a zombie.
 */
export function pidAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return signalZero(pid);
  }
  return stat.slice(stat.lastIndexOf(') ') + 2)[0] !== 'Z';
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Fields of /proc/<pid>/stat after "(comm) ": state, ppid, pgrp, ... */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return undefined; // the process may have ended
  }
}

const procPids = () => readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name));

/** Any non-zombie process left in that process group. */
export function groupAlive(pgid: number): boolean {
  return procPids().some((pid) => {
    const fields = statFields(pid);
    return fields !== undefined && fields[2] === String(pgid) && fields[0] !== 'Z';
  });
}

/**
 * Guards against a recycled pid: a process is only "ours" if its command line names our run
 * dir's config or data (the marker).
 */
export function cmdlineHas(pid: number | string, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker);
  } catch {
    return false;
  }
}

/** A live process named `comm` whose command line contains `marker` (adopts a server whose pid file was lost). */
export function findMarkerPid(comm: string, marker: string): number | undefined {
  for (const pid of procPids()) {
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
    } catch {
      continue;
    }
    if (name === comm && cmdlineHas(pid, marker)) return Number(pid);
  }
  return undefined;
}

export function readPid(file: string): number | undefined {
  try {
    const first = readFileSync(file, 'utf8').split('\n')[0];
    return /^[0-9]+$/.test(first) ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pid of a run dir's server: from its pid file if that points to a live process of ours,
 * else found in /proc by name and marker (then the pid file is written again).
 */
export function ourPid(pidFile: string, comm: string, marker: string): number | undefined {
  const recorded = readPid(pidFile);
  if (recorded !== undefined && pidAlive(recorded) && cmdlineHas(recorded, marker)) return recorded;
  const found = findMarkerPid(comm, marker);
  if (found !== undefined && existsSync(join(pidFile, '..'))) writeFileSync(pidFile, `${found}\n`);
  return found;
}

/**
 * Runs a server detached in its own session (so its own process group, no controlling terminal),
 * surviving the caller; stdout and stderr are appended to its log. Writes the pid file.
 */
export function startDetached(opts: { cwd: string; command: string; args: readonly string[]; env: Env; logFile: string; pidFile: string }): number {
  const out = openSync(opts.logFile, 'a');
  try {
    const child = spawn('nohup', [opts.command, ...opts.args], { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', out, out] });
    child.on('error', () => undefined); // a missing binary shows as a pid that is not alive
    child.unref();
    if (child.pid === undefined) throw new InfraError(`could not start ${opts.command}`);
    writeFileSync(opts.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/** SIGTERM to the whole process group, up to `timeoutS` seconds, then SIGKILL. */
export async function stopGroup(log: Logger, name: string, pid: number, timeoutS: number): Promise<void> {
  signal(pid, 'SIGTERM');
  for (let i = 0; i < timeoutS * 10; i++) {
    if (!pidAlive(pid) && !groupAlive(pid)) return;
    await sleep(100);
  }
  log.warn(`${name} (pid ${pid}) did not stop within ${timeoutS}s, sending SIGKILL`);
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 50; i++) {
    if (!pidAlive(pid)) return;
    await sleep(100);
  }
  throw new InfraError(`${name} (pid ${pid}) survived SIGKILL`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A short-lived command. Output is captured unless `stdout`/`stderr` name a file descriptor or
 * 'inherit'; `output` also gets what is captured as it comes. Never throws for a non-zero exit:
 * the caller decides what failure means.
 */
export function run(
  command: string,
  args: readonly string[],
  opts: {
    cwd?: string;
    env?: Env;
    stdout?: number | 'inherit' | 'ignore';
    stderr?: number | 'inherit' | 'ignore';
    output?: (text: string) => void;
    /** On abort the command gets SIGTERM. */
    signal?: AbortSignal;
  } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv | undefined, stdio: ['ignore', opts.stdout ?? 'pipe', opts.stderr ?? 'pipe'], signal: opts.signal });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      opts.output?.(chunk.toString());
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      opts.output?.(chunk.toString());
    });
    // An abort is reported as an error too, before the command has ended: 'close' says when it has.
    child.on('error', (error) => error.name === 'AbortError' || done({ code: 127, stdout, stderr: stderr + String(error) }));
    child.on('close', (code, sig) => done({ code: code ?? (sig ? 128 : 1), stdout, stderr }));
  });
}

export const isRoot = () => process.getuid?.() === 0;

/**
 * initdb and postgres refuse to run as root: as root they run as the `postgres` user (from / so
 * that an unreadable cwd causes no warnings).
 */
export function asPostgres(command: string, args: readonly string[]): { command: string; args: string[]; cwd?: string } {
  return isRoot() ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args], cwd: '/' } : { command, args: [...args] };
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `command -v`: the executable's path on PATH, or undefined. */
export function onPath(command: string, env: Env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
