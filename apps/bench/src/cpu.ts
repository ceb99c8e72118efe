import { processTree, readProcesses, type ProcStat } from '@shop/testing';
import { execFileSync } from 'node:child_process';

/**
 * CPU of a process and all its live descendants. Children that ended were added to their
 * parent's cutime/cstime when reaped, so a Postgres backend that exits between two samples is
 * still counted (through the postmaster).
 */
export function treeTicks(processes: ProcStat[], root: number): number {
  return processTree(processes, root).reduce((total, p) => total + p.ticks, 0);
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU milliseconds used so far by each named process tree. */
export function cpuMs(roots: Record<string, number>): Record<string, number> {
  const processes = readProcesses();
  return Object.fromEntries(Object.entries(roots).map(([name, pid]) => [name, (treeTicks(processes, pid) * 1000) / TICKS_PER_SECOND]));
}

/** What each tree used between two samples. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? 0)]));
}
