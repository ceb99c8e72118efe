import { backoffDelay } from './backoff';

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
