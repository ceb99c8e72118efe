import { progressLogger } from './log';

describe('progressLogger', () => {
  it('prints infra.sh progress lines: seconds since the start, right-aligned, one decimal', () => {
    const lines: string[] = [];
    const log = progressLogger(Date.now() - 1040, (text) => lines.push(text));
    log.log('postgres: ready');
    log.warn('kafka: port 9092 still in use after stop: unknown process');
    expect(lines).toEqual(['[infra]    1.0s  postgres: ready\n', '[infra]    1.0s  WARNING: kafka: port 9092 still in use after stop: unknown process\n']);
  });
});
