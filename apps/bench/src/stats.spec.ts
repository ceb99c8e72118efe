import { percentiles } from './stats';

describe('percentiles (nearest rank)', () => {
  it('takes the sample at rank ceil(p * n)', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentiles(samples)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('gives the only sample for every percentile of one, and null for none', () => {
    expect(percentiles([7])).toEqual({ n: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(percentiles([])).toBeNull();
  });
});
