import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every live process (not this one, no zombie) whose command line names `dir`: the servers carry
 * their run dir in their config or data paths, so none may be left once a test has stopped them.
 */
export function processesNaming(dir: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^[0-9]+$/.test(pid) && Number(pid) !== process.pid)
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return cmdline.includes(dir) && state !== 'Z' ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return [];
      }
    });
}
