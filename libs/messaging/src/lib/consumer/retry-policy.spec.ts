import type { Logger } from '@nestjs/common';
import { NonRetryableError, PoisonMessageError } from '../errors';
import { Retries } from './retry-policy';

describe('Retries.isFinal', () => {
  const retries = new Retries({ attempts: 3, baseMs: 10, maxMs: 100 }, { warn: jest.fn() } as unknown as Logger);

  it('retries a handler failure until the attempts are spent', () => {
    expect([1, 2, 3].map((attempt) => retries.isFinal(new Error('flaky'), attempt))).toEqual([false, false, true]);
  });

  it('ends at once on poison and on NonRetryableError', () => {
    expect(retries.isFinal(new PoisonMessageError('SCHEMA_INVALID', 'no orderId'), 1)).toBe(true);
    expect(retries.isFinal(new NonRetryableError('refused'), 1)).toBe(true);
  });

  it('takes the default policy (5 attempts) when none is given', () => {
    const byDefault = new Retries(undefined, { warn: jest.fn() } as unknown as Logger);
    expect([4, 5].map((attempt) => byDefault.isFinal(new Error('flaky'), attempt))).toEqual([false, true]);
  });
});
