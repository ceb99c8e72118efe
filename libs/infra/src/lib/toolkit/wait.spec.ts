import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progressLogger } from './log';
import { lastLines, waitFor } from './wait';

describe('waitFor', () => {
  let dir: string;
  let printed: string;
  const log = progressLogger(Date.now(), (text) => (printed += text));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'infra-wait-'));
    printed = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns once the check passes', async () => {
    let calls = 0;
    await waitFor(log, { name: 'x', timeoutS: 5, description: 'the third call', logFile: join(dir, 'x.log'), check: async () => ++calls === 3 });
    expect(calls).toBe(3);
  });

  it('fails after its timeout with the log tail and the full log named', async () => {
    const file = join(dir, 'x.log');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    await expect(waitFor(log, { name: 'x', timeoutS: 0.3, description: 'never', logFile: file, check: async () => false })).rejects.toThrow(`x: not ready after 0.3s: never (full log: ${file})`);
    expect(printed).toContain(`[infra] ---- last 40 lines of ${file} ----\nline 11\n`);
    expect(printed).toContain(`line 50\n[infra] ---- end of ${file} ----\n`);
    expect(printed).not.toContain('line 10\n');
  });

  it('fails early when the process it waits for dies', async () => {
    const child = spawn('sleep', ['0']);
    await new Promise((done) => child.once('exit', done));
    const started = Date.now();
    await expect(waitFor(log, { name: 'x', pid: child.pid, timeoutS: 30, description: 'never', logFile: join(dir, 'none.log'), check: async () => false })).rejects.toThrow(
      `x: process ${child.pid} exited while waiting for: never`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('lastLines', () => {
  it('reads the end of a file, and nothing from a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infra-tail-'));
    try {
      writeFileSync(join(dir, 'a'), 'one\ntwo\nthree');
      expect(lastLines(join(dir, 'a'), 2)).toBe('two\nthree\n');
      expect(lastLines(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
