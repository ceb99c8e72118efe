import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { RevenuePerMinute } from '@shop/console-api';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { AnalyticsApiClient } from './analytics-api.client';

/**
 * The Analytics view's API: GET /api/analytics/revenue-per-minute?from&to, analytics' windows as
 * it answers the signed-in admin (it validates the range and names a bad parameter).
 */
@Controller('api/analytics')
@UseGuards(AdminGuard)
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsApiClient) {}

  @Get('revenue-per-minute')
  revenuePerMinute(@AccessToken() token: string, @Query('from') from?: string, @Query('to') to?: string): Promise<RevenuePerMinute> {
    return this.analytics.revenuePerMinute(token, { from, to });
  }
}
