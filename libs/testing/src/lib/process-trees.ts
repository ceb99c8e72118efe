import { readdirSync, readFileSync } from 'node:fs';

/** One line of /proc/<pid>/stat: the process, its parent, and the CPU it and its reaped children used. */
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

/** Every process of the machine, as /proc lists it now. */
export function readProcesses(): ProcStat[] {
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

/** A process and all its live descendants (Postgres's backends, Keycloak's JVM under kc.sh); none when `root` is not among `processes`. */
export function processTree(processes: ProcStat[], root: number): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const self = processes.find((p) => p.pid === root);
  const tree: ProcStat[] = [];
  const stack = self ? [self] : [];
  while (stack.length > 0) {
    const p = stack.pop() as ProcStat;
    tree.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}
