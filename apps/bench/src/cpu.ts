import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One line of /proc/<pid>/stat: the CPU this process used, and that of its reaped children. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

/** Parses /proc/<pid>/stat. The command name (2nd field) may hold spaces and parentheses: fields are counted after its last ')'. */
export function parseStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const fields = text.slice(close + 2).trim().split(/\s+/); // fields[0] is field 3 (state)
  const field = (n: number) => Number(fields[n - 3]);
  return { pid, ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
}

/**
 * CPU of a process and all its live descendants. Children that ended were added to their
 * parent's cutime/cstime when reaped, so a Postgres backend that exits between two samples is
 * still counted (through the postmaster).
 */
export function treeTicks(processes: ProcStat[], root: number): number {
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const self = processes.find((p) => p.pid === root);
  if (!self) return 0;
  let total = 0;
  const stack = [self];
  while (stack.length > 0) {
    const p = stack.pop() as ProcStat;
    total += p.ticks;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total;
}

function readProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.push(parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
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
