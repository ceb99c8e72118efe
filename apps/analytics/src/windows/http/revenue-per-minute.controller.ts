import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrderWindowUpdatedV1 } from '@shop/contracts';
import { ADMIN_ROLE, ApiProblemResponses, RequireRoles, validate } from '@shop/platform';
import { z } from 'zod';
import { OrderWindowsProcessor } from '../application/order-windows.processor';
import { windowMessage } from '../application/window-records';

const MAX_RANGE_MS = 24 * 60 * 60 * 1000;
const DEFAULT_RANGE_MS = 60 * 60 * 1000;

const time = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-07T12:00:00Z' }).transform((v) => Date.parse(v));

/** from and to, each optional (to: now; from: an hour before to), from before to, 24 hours at most. */
export const revenueQuery = z
  .strictObject({ from: time.optional(), to: time.optional() }, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : undefined) })
  .transform(({ from, to }, ctx) => {
    const end = to ?? Date.now();
    const start = from ?? end - DEFAULT_RANGE_MS;
    if (start >= end) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    else if (end - start > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 24 hours after from' });
    return { from: start, to: end };
  });

/** The windows as committed to analytics.order-windows (the processor's view of it): admins only. */
@ApiTags('analytics')
@ApiBearerAuth()
@ApiProblemResponses([401, 'No valid access token (with `WWW-Authenticate: Bearer`)'], [403, 'Not an admin (AUTH.FORBIDDEN)'])
@RequireRoles(ADMIN_ROLE)
@Controller('analytics')
export class RevenuePerMinuteController {
  constructor(private readonly processor: OrderWindowsProcessor) {}

  @Get('revenue-per-minute')
  @ApiOperation({ summary: 'Revenue, confirmed and rejected orders per minute (by event time), for the windows starting in [from, to), oldest first' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 date-time; default an hour before to' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 date-time; default now; at most 24 hours after from' })
  @ApiProblemResponses([400, 'A bad parameter, named in `errors` (REQUEST.INVALID)'])
  revenuePerMinute(@Query() query: unknown): { from: string; to: string; windows: Array<Omit<OrderWindowUpdatedV1, 'streamTimes'>> } {
    const { from, to } = validate(revenueQuery, query, 'query');
    const windows = this.processor.between(from, to).map((w) => {
      const { streamTimes: _internal, ...window } = windowMessage(w, new Map());
      return window;
    });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), windows };
  }
}
