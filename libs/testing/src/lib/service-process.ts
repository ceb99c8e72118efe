import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './infra';

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Names the process: the service, or a further replica's `order-2` (its log file, its messages). */
  readonly id: string;
  /** Everything the process wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  /**
   * Waits for 200 from /health/ready. Fails at once, with the process's output, if the process
   * exits first (e.g. its port was taken), so a test never talks to someone else's server.
   */
  waitUntilReady(timeoutMs?: number): Promise<void>;
}

/**
 * Runs a built service (`dist/apps/<name>/main.js`) as a real process with the given environment.
 * `id` names the process in its log file and messages: a further replica's (`order-2`), else the service's.
 */
export function startServiceProcess(name: string, env: Record<string, string | undefined>, args: string[] = [], id = name): ServiceProcess {
  const main = resolve(repoRoot, 'dist/apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx build ${name})`);
  // Only what the test passes, plus PATH: a developer's shell settings must not leak into the service.
  const child = spawn(process.execPath, [main, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  keepLog(id, child);
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${env['PORT']}`;
  const output = () => `--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  return {
    url,
    child,
    id,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    async waitUntilReady(timeoutMs = 60_000) {
      try {
        await waitFor(
          `${id} /health/ready`,
          async () => {
            if (child.exitCode !== null || child.signalCode !== null) {
              throw new ExitedError(`${id} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
            }
            // Our process must have bound the port itself: whatever else may answer there does not count.
            if (!out.includes('"msg":"listening on http://')) return false;
            return (await httpGet(`${url}/health/ready`)).status === 200;
          },
          timeoutMs,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${output()}`);
      }
    },
  };
}

class ExitedError extends Error {}

/**
 * With SHOP_SERVICE_LOG_DIR set (for a look after a run: the process output is otherwise kept in
 * memory only), appends the process's stdout and stderr to <dir>/<id>.log (order.log, order-2.log),
 * across restarts.
 */
function keepLog(id: string, child: ChildProcess): void {
  const dir = process.env['SHOP_SERVICE_LOG_DIR'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(join(dir, `${id}.log`), { flags: 'a' });
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.on('close', () => file.end());
}

/** Polls `check` until it returns true or the time is up; the error names what was awaited. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error instanceof ExitedError) throw error;
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export interface HttpResult {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function httpGet(url: string, timeoutMs = 5000): Promise<HttpResult> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, text, headers: res.headers };
}
