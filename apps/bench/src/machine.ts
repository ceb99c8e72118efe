import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { round } from './stats';

/** What a report says about where it was measured: cores, CPU, memory, Node, and the commit (`-dirty` with local changes). */
export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  gitCommit: string;
}

export function machine(repoRoot: string): Machine {
  let gitCommit = 'unknown';
  try {
    gitCommit = execFileSync('git', ['describe', '--always', '--dirty'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, gitCommit };
}
