import type { RevenuePerMinute } from '@shop/console-api';
import type { ConsoleConfig } from '../config';
import { closedUrl, fakeHttpServer, json, refusal } from '../testing/fake-http-server';
import { AnalyticsApiClient } from './analytics-api.client';

const client = (url: string) => new AnalyticsApiClient({ ANALYTICS_URL: url } as ConsoleConfig);

async function fakeAnalytics(status: number, answer: unknown) {
  const seen: Array<{ method?: string; path?: string; authorization?: string }> = [];
  const server = await fakeHttpServer((req, res) => {
    seen.push({ method: req.method, path: req.url, authorization: req.headers.authorization });
    json(res, status, answer);
  });
  return { ...server, seen };
}

describe('AnalyticsApiClient', () => {
  const windows: RevenuePerMinute = {
    from: '2026-12-07T11:34:00.000Z',
    to: '2026-12-07T12:34:30.000Z',
    windows: [{ windowStart: '2026-12-07T12:34:00.000Z', windowEnd: '2026-12-07T12:35:00.000Z', revenue: [{ currency: 'EUR', amountCents: 2500 }], confirmed: 2, rejected: [{ reason: 'OUT_OF_STOCK', count: 1 }], tooLate: 0, final: false }],
  };

  it("asks for the windows with the admin's token and answers them as analytics did", async () => {
    const analytics = await fakeAnalytics(200, windows);
    try {
      expect(await client(analytics.url).revenuePerMinute('admin-token', {})).toEqual(windows);
      expect(analytics.seen).toEqual([{ method: 'GET', path: '/analytics/revenue-per-minute', authorization: 'Bearer admin-token' }]);
    } finally {
      await analytics.close();
    }
  });

  it('passes the range on as given (analytics validates it)', async () => {
    const analytics = await fakeAnalytics(200, windows);
    try {
      await client(analytics.url).revenuePerMinute('t', { from: '2026-12-07T12:00:00+01:00', to: undefined });
      expect(analytics.seen.map((s) => s.path)).toEqual(['/analytics/revenue-per-minute?from=2026-12-07T12%3A00%3A00%2B01%3A00']);
    } finally {
      await analytics.close();
    }
  });

  it("passes analytics' 400 on with its problem document, naming the parameter", async () => {
    const problem = { type: 'urn:shop:problem:request-invalid', title: 'Bad Request', status: 400, detail: 'from: must be before to', code: 'REQUEST.INVALID', errors: [{ field: 'from', message: 'must be before to' }] };
    const analytics = await fakeAnalytics(400, problem);
    try {
      expect(await refusal(client(analytics.url).revenuePerMinute('t', { from: '2026-12-07T13:00:00Z', to: '2026-12-07T12:00:00Z' }))).toEqual({ status: 400, body: problem });
    } finally {
      await analytics.close();
    }
  });

  it.each([401, 403, 404, 500])('answers 502 for its own failure (analytics said %i)', async (status) => {
    const analytics = await fakeAnalytics(status, { title: 'no' });
    try {
      expect(await refusal(client(analytics.url).revenuePerMinute('t', {}))).toEqual({
        status: 502,
        body: { type: 'about:blank', title: 'The analytics API failed', status: 502, detail: `GET /analytics/revenue-per-minute at ${analytics.url} answered ${status}` },
      });
    } finally {
      await analytics.close();
    }
  });

  it('answers 503 "analytics is not running at <url>" when nothing listens there (analytics is optional)', async () => {
    const url = await closedUrl();
    expect(await refusal(client(url).revenuePerMinute('t', {}))).toEqual({
      status: 503,
      body: { type: 'about:blank', title: 'Analytics is not available', status: 503, detail: `analytics is not running at ${url} (ECONNREFUSED)` },
    });
  });
});
