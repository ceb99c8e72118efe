import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { processTree, readProcesses } from '@shop/testing';

/** True when something accepts connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
  });
}

/**
 * Processes (but this one) whose command line or environment mentions `needle`, e.g. a run's
 * private data dir: servers have it in their arguments, their children inherit it in their
 * environment.
 */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes(needle) || environ.includes(needle)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * The memory of each process tree (the process and every live descendant: Postgres's backends,
 * Keycloak's JVM under kc.sh), in MiB: resident (RSS, shared pages counted in every process that
 * maps them, as `ps` counts) and proportional (PSS, shared pages split between those processes).
 */
export function treeMemoryMb(roots: Record<string, number>): Record<string, { rss: number; pss: number }> {
  const processes = readProcesses();
  const kb = (pid: number): { rss: number; pss: number } => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
      return { rss: field('Rss'), pss: field('Pss') };
    } catch {
      return { rss: 0, pss: 0 }; // the process ended while we looked (or is a kernel thread, without smaps)
    }
  };
  const mb = (n: number) => Math.round(n / 1024);
  return Object.fromEntries(
    Object.entries(roots).map(([name, root]) => {
      const { rss, pss } = processTree(processes, root)
        .map((p) => kb(p.pid))
        .reduce((a, b) => ({ rss: a.rss + b.rss, pss: a.pss + b.pss }), { rss: 0, pss: 0 });
      return [name, { rss: mb(rss), pss: mb(pss) }];
    }),
  );
}
