import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InfraError, type Logger } from './log';
import { pidAlive, sleep } from './process';

/** The last `lines` lines of a file (read from its end: logs can be large). */
export function lastLines(file: string, lines = 40): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    return all.slice(-lines).join('\n') + (all.length ? '\n' : '');
  } finally {
    closeSync(fd);
  }
}

/** What went wrong, printed on failures: the tail of each readable log. */
export function showLogTail(log: Logger, files: readonly string[]): void {
  for (const file of files) {
    const tail = lastLines(file);
    if (tail === undefined) continue;
    log.raw(`[infra] ---- last 40 lines of ${file} ----\n${tail}[infra] ---- end of ${file} ----\n`);
  }
}

export interface WaitFor {
  name: string;
  /** Fails early when this process dies. */
  pid?: number;
  timeoutS: number;
  /** What is awaited, for the failure message. */
  description: string;
  /** The component's log, named in the failure message. */
  logFile: string;
  /** The logs whose tails a failure prints (default: the component's log). */
  tails?: readonly string[];
  check: () => Promise<boolean>;
  /** Stops waiting (another component failed). */
  signal?: AbortSignal;
}

/** Polls `check` every 0.25 s; on failure prints the logs' tails and throws. */
export async function waitFor(log: Logger, w: WaitFor): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await w.check()) return;
    w.signal?.throwIfAborted();
    if (w.pid !== undefined && !pidAlive(w.pid)) {
      showLogTail(log, w.tails ?? [w.logFile]);
      throw new InfraError(`${w.name}: process ${w.pid} exited while waiting for: ${w.description} (full log: ${w.logFile})`);
    }
    if (Date.now() - start > w.timeoutS * 1000) {
      showLogTail(log, w.tails ?? [w.logFile]);
      throw new InfraError(`${w.name}: not ready after ${w.timeoutS}s: ${w.description} (full log: ${w.logFile})`);
    }
    await sleep(250);
  }
}
