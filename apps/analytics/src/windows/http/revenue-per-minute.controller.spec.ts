import { BadRequestException } from '@nestjs/common';
import type { RevenuePerMinute } from '@shop/console-api';
import { validate } from '@shop/platform';
import type { OrderWindowsProcessor } from '../application/order-windows.processor';
import type { OrderWindow } from '../domain/order-windows';
import { RevenuePerMinuteController, revenueQuery } from './revenue-per-minute.controller';

/** Both ways assignable: the same set of values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

function problems(query: Record<string, unknown>): Array<{ field: string; message: string }> {
  try {
    validate(revenueQuery, query, 'query');
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { errors: Array<{ field: string; message: string }> }).errors;
    throw error;
  }
  throw new Error('accepted');
}

describe('GET /analytics/revenue-per-minute parameters', () => {
  it('takes from and to as ISO date-times', () => {
    expect(validate(revenueQuery, { from: '2026-12-07T12:00:00Z', to: '2026-12-07T14:00:00+01:00' })).toEqual({ from: Date.parse('2026-12-07T12:00:00Z'), to: Date.parse('2026-12-07T13:00:00Z') });
  });

  it('defaults to the last hour up to now', () => {
    const before = Date.now();
    const { from, to } = validate(revenueQuery, {});
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to - from).toBe(60 * 60 * 1000);
  });

  it.each([
    [{ from: 'yesterday' }, 'from', /ISO 8601/],
    [{ to: '2026-12-07' }, 'to', /ISO 8601/],
    [{ from: '2026-12-07T13:00:00Z', to: '2026-12-07T12:00:00Z' }, 'from', /before to/],
    [{ from: '2026-12-05T12:00:00Z', to: '2026-12-07T12:00:00Z' }, 'to', /24 hours/],
    [{ since: '2026-12-07T12:00:00Z' }, '(root)', /unknown parameter\(s\): since/],
  ])('refuses %j naming the field', (query, field, message) => {
    const errors = problems(query);
    expect(errors).toEqual([expect.objectContaining({ field })]);
    expect(errors[0].message).toMatch(message);
  });
});

describe('GET /analytics/revenue-per-minute answer', () => {
  const window: OrderWindow = { start: Date.parse('2026-12-07T12:34:00Z'), end: Date.parse('2026-12-07T12:35:00Z'), revenue: { USD: 900, EUR: 2500 }, confirmed: 3, rejected: { OUT_OF_STOCK: 1 }, tooLate: 1, final: false };
  const asked: Array<[number, number]> = [];
  const processor = {
    between: (from: number, to: number) => {
      asked.push([from, to]);
      return [window];
    },
  } as Pick<OrderWindowsProcessor, 'between'> as OrderWindowsProcessor;

  it("is what the ops console reads (libs/console-api's RevenuePerMinute, written there once): the same type, and at run time exactly its fields", () => {
    // Compile time: typecheck fails when the controller's answer and the console's type differ.
    const sameType: Same<ReturnType<RevenuePerMinuteController['revenuePerMinute']>, RevenuePerMinute> = true;
    expect(sameType).toBe(true);
    const expected: RevenuePerMinute = {
      from: '2026-12-07T12:00:00.000Z',
      to: '2026-12-07T13:00:00.000Z',
      windows: [
        {
          windowStart: '2026-12-07T12:34:00.000Z',
          windowEnd: '2026-12-07T12:35:00.000Z',
          revenue: [
            { currency: 'EUR', amountCents: 2500 },
            { currency: 'USD', amountCents: 900 },
          ],
          confirmed: 3,
          rejected: [{ reason: 'OUT_OF_STOCK', count: 1 }],
          tooLate: 1,
          final: false,
        },
      ],
    };
    // Run time: no field more (the stream times stay inside analytics), none fewer.
    expect(new RevenuePerMinuteController(processor).revenuePerMinute({ from: '2026-12-07T12:00:00Z', to: '2026-12-07T13:00:00Z' })).toStrictEqual(expected);
    expect(asked).toEqual([[Date.parse('2026-12-07T12:00:00Z'), Date.parse('2026-12-07T13:00:00Z')]]);
  });
});
