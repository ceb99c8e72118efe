import { GUARDS_METADATA } from '@nestjs/common/constants';
import { AdminGuard } from '../auth/admin.guard';
import type { AnalyticsApiClient } from './analytics-api.client';
import { AnalyticsController } from './analytics.controller';

describe('AnalyticsController', () => {
  it('is for admins only (AdminGuard: 401 without a session, 403 for anyone else)', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, AnalyticsController)).toEqual([AdminGuard]);
  });

  it("asks the client with the signed-in admin's token and the query's from and to", async () => {
    const calls: unknown[] = [];
    const analytics = {
      revenuePerMinute: async (token: string, range: object) => {
        calls.push([token, range]);
        return { from: 'f', to: 't', windows: [] };
      },
    } as Pick<AnalyticsApiClient, 'revenuePerMinute'> as AnalyticsApiClient;
    expect(await new AnalyticsController(analytics).revenuePerMinute('admin-token', '2026-12-07T12:00:00Z')).toEqual({ from: 'f', to: 't', windows: [] });
    expect(calls).toEqual([['admin-token', { from: '2026-12-07T12:00:00Z', to: undefined }]]);
  });
});
