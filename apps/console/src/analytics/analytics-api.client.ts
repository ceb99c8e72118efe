import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { RevenuePerMinute } from '@shop/console-api';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { fetchFailure } from '../fetch-failure';
import { SERVICE_TIMEOUT_MS } from '../operations/shop-services';

/** The range of windows to ask for; either may be left out (analytics: to = now, from = an hour before to). */
export interface RevenueRange {
  from?: string;
  to?: string;
}

/**
 * The analytics service's API, called with the signed-in admin's access token. Analytics is
 * optional (the chart's `analytics.enabled`), so its absence is an answer the page shows (503,
 * "analytics is not running at <url>"), not a failure of the console. Its refusals of the range
 * (400 naming the parameter) reach the browser as they are, with their problem document.
 */
@Injectable()
export class AnalyticsApiClient {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  /** GET /analytics/revenue-per-minute: the windows starting in [from, to), oldest first. */
  async revenuePerMinute(token: string, range: RevenueRange): Promise<RevenuePerMinute> {
    const url = this.config.ANALYTICS_URL;
    // As given (a repeated parameter arrives as a list, which analytics then refuses, naming it).
    const query = new URLSearchParams(Object.entries(range).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)] as [string, string]]))).toString();
    const path = `/analytics/revenue-per-minute${query ? `?${query}` : ''}`;
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS) });
    } catch (error) {
      const detail = (error as Error).name === 'TimeoutError' ? `analytics does not answer at ${url} (no answer in ${SERVICE_TIMEOUT_MS / 1000} s)` : `analytics is not running at ${url} (${fetchFailure(error)})`;
      throw new HttpException({ type: 'about:blank', title: 'Analytics is not available', status: 503, detail }, 503);
    }
    const answer: unknown = await res.json().catch(() => null);
    if (res.status === 400) throw new HttpException(answer ?? res.statusText, 400);
    // Anything else is the console's problem, not the browser's: a token analytics refused, or something else at that address.
    if (!res.ok || answer === null) {
      throw new HttpException({ type: 'about:blank', title: 'The analytics API failed', status: 502, detail: `GET ${path} at ${url} answered ${res.status}${res.ok ? ' without JSON' : ''}` }, 502);
    }
    return answer as RevenuePerMinute;
  }
}
