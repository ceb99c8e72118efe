import { memoryOf, metricValue, soakMarkdown, soakVerdict, type SoakMinute } from './soak';

const MB = 1024 * 1024;

const exposition = [
  '# HELP process_resident_memory_bytes Resident memory size in bytes.',
  '# TYPE process_resident_memory_bytes gauge',
  `process_resident_memory_bytes ${271 * MB}`,
  `nodejs_heap_size_used_bytes ${80.5 * MB}`,
  `nodejs_heap_size_used_bytes_total 1`,
  `nodejs_external_memory_bytes ${12 * MB}`,
  `nodejs_heap_space_size_used_bytes{space="old"} ${9 * MB}`,
].join('\n');

/** A minute whose order service has `rss` MB resident, at p50 `p50` ms. */
const minute = (n: number, rss: number, p50: number | null = 40, final = 1200): SoakMinute => ({
  minute: n,
  offered: 1200,
  accepted: 1200,
  finalWithin10s: final,
  serverErrors: 0,
  p50,
  p99: p50 === null ? null : p50 * 3,
  memory: { order: { rssMb: rss, heapUsedMb: Math.round((rss / 3) * 10) / 10, externalMb: 10 } },
});

describe('reading memory from /metrics', () => {
  it('takes the unlabelled sample of exactly that name, in MB', () => {
    expect(metricValue(exposition, 'nodejs_heap_size_used_bytes')).toBe(80.5 * MB);
    expect(metricValue(exposition, 'nodejs_heap_space_size_used_bytes')).toBeUndefined();
    expect(memoryOf(exposition)).toEqual({ rssMb: 271, heapUsedMb: 80.5, externalMb: 12 });
  });

  it('fails naming the metric a service does not expose', () => {
    expect(() => memoryOf('process_resident_memory_bytes 1')).toThrow('no nodejs_heap_size_used_bytes in the exposition');
  });
});

describe('the soak verdict', () => {
  it('compares the end with the start of the last 20 minutes, after the warm-up', () => {
    // 30 minutes: growing fast for the first 10 (warm-up), then slowly.
    const minutes = Array.from({ length: 30 }, (_, i) => minute(i + 1, i < 10 ? 200 + 10 * i : 300 + (i - 10) * 0.5));
    const verdict = soakVerdict(minutes);
    expect(verdict.window).toEqual({ from: 10, to: 30 });
    expect(verdict.memory['order'].rss).toEqual({ from: 290, to: 309.5, percent: 6.7 });
    expect(verdict.memoryFlat).toBe(true);
    expect(verdict.latency).toEqual({ firstP50: 40, lastP50: 40, drifted: false });
    expect(verdict.everyOrderFinal).toBe(true);
  });

  it('is not flat when memory keeps growing by 10% or more over the window', () => {
    const minutes = Array.from({ length: 30 }, (_, i) => minute(i + 1, 270 + 3 * i));
    const verdict = soakVerdict(minutes);
    expect(verdict.memory['order'].rss.percent).toBe(20.2);
    expect(verdict.memory['order'].flat).toBe(false);
    expect(verdict.memoryFlat).toBe(false);
  });

  it('finds latency drift, and a run shorter than the window is judged over all its minutes', () => {
    const minutes = Array.from({ length: 12 }, (_, i) => minute(i + 1, 300, i < 6 ? 40 : 70));
    const verdict = soakVerdict(minutes);
    expect(verdict.window).toEqual({ from: 1, to: 12 });
    expect(verdict.latency).toEqual({ firstP50: 40, lastP50: 70, drifted: true });
  });

  it('counts a minute whose orders were not all final as a failure, and needs two minutes', () => {
    expect(soakVerdict([minute(1, 300), minute(2, 300, 40, 1199)]).everyOrderFinal).toBe(false);
    expect(() => soakVerdict([minute(1, 300)])).toThrow('at least two minutes');
  });

  it('writes a report that shows each check and every minute', () => {
    const minutes = [minute(1, 300), minute(2, 305)];
    const md = soakMarkdown({
      startedAt: '2026-12-07T00:00:00.000Z',
      durationS: 130,
      machine: { cores: 2, cpu: 'cpu', memoryGiB: 24, node: 'v24', gitCommit: 'abc' },
      rate: 20,
      minutes,
      verdict: soakVerdict(minutes),
    });
    expect(md).toContain('| order | 300 -> 305 (1.7%) | 100 -> 101.7 (1.7%) |');
    expect(md).toContain('| 2 | 1200 | 1200 | 40 | 120 | 305 / 101.7 |');
  });
});
