import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

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
