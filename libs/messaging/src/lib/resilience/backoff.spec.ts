import { backoffDelay, exponentialDelay } from './backoff';

describe('exponentialDelay', () => {
  it('doubles the base per failure up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((failures) => exponentialDelay(failures, { baseMs: 100, maxMs: 1000 }))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('stays at the maximum however many failures, and at zero for a zero base', () => {
    expect(exponentialDelay(5000, { baseMs: 100, maxMs: 1000 })).toBe(1000);
    expect(exponentialDelay(5000, { baseMs: 0, maxMs: 1000 })).toBe(0);
  });
});

describe('backoffDelay', () => {
  const policy = { attempts: 5, baseMs: 100, maxMs: 1000 };

  it('doubles the ceiling per attempt up to the maximum', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, () => 0.999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws anywhere from zero (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });
});
