import { repoRoot } from '@shop/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The child runs TypeScript directly through tsx's loader, resolving @shop/* through the tsconfig
 * paths. `node --import tsx` rather than the tsx CLI: the CLI would run the code in a grandchild,
 * out of reach of the SIGKILL these tests send.
 */
export function child(...args: string[]): { proc: ChildProcess; output: () => string; ended: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'crash-child.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise<string>((done) => proc.on('exit', (code, signal) => done(signal ?? String(code))));
  return { proc, output: () => out, ended };
}
