import { pidAlive, run } from './process';

describe('run', () => {
  it('captures both streams and hands them to `output` as they come', async () => {
    const seen: string[] = [];
    const result = await run('bash', ['-c', 'echo out; echo err >&2; exit 3'], { output: (text) => seen.push(text) });
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(seen.join('').split('\n').sort()).toEqual(['', 'err', 'out']);
  });

  it('ends the command when its signal aborts, and resolves with a failure', async () => {
    const giveUp = new AbortController();
    let said: (pid: number) => void = () => undefined;
    const started = new Promise<number>((done) => (said = done));
    const running = run('bash', ['-c', 'echo $$; exec sleep 30'], { output: (text) => said(Number(text.trim())), signal: giveUp.signal });
    const pid = await started;
    expect(pidAlive(pid)).toBe(true);
    const t0 = Date.now();
    giveUp.abort();
    const result = await running;
    expect(result.code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(pidAlive(pid)).toBe(false);
  });
});
