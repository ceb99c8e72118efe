import { Inject, Injectable } from '@nestjs/common';
import type { OrderTraceResult } from '@shop/console-api';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { fetchFailure } from '../fetch-failure';
import { pickOrderTrace, readJaegerTrace, type JaegerTrace } from './jaeger-trace';

/** How far around the order's placement to search: clocks of the services and the console may differ a little. */
const SEARCH_MARGIN_MS = 60_000;

/**
 * Jaeger's query API, asked for an order's trace. The services tag every span of an order's saga
 * with `shop.order_id` (libs/messaging, the saga runner, the notification sender), and Jaeger's
 * `GET /api/traces` finds traces by tag; its v3 HTTP API (`/api/v3/traces`) does not take
 * attributes yet (Jaeger v2.13), so the console uses the former, as the root README's curl does.
 */
@Injectable()
export class JaegerClient {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  /** The order's trace, `pending` while Jaeger holds none of its spans, `unavailable` (with why) when Jaeger cannot be asked. */
  async orderTrace(orderId: string, placedAt: string, now = new Date()): Promise<OrderTraceResult> {
    const params = new URLSearchParams({
      service: 'order',
      tags: JSON.stringify({ 'shop.order_id': orderId }),
      // Microseconds, as Jaeger wants them.
      start: String((Date.parse(placedAt) - SEARCH_MARGIN_MS) * 1000),
      end: String((now.getTime() + SEARCH_MARGIN_MS) * 1000),
      limit: '20',
    });
    const url = `${this.config.JAEGER_QUERY_URL}/api/traces?${params}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      return { state: 'unavailable', detail: `Jaeger does not answer at ${this.config.JAEGER_QUERY_URL}: ${fetchFailure(error)}` };
    }
    if (!res.ok) return { state: 'unavailable', detail: `Jaeger answered ${res.status} to GET /api/traces at ${this.config.JAEGER_QUERY_URL}` };
    const body = (await res.json().catch(() => null)) as { data?: JaegerTrace[] | null } | null;
    if (!body) return { state: 'unavailable', detail: `Jaeger at ${this.config.JAEGER_QUERY_URL} answered something other than JSON` };
    const trace = pickOrderTrace(body.data ?? []);
    return trace ? { state: 'found', trace: readJaegerTrace(trace) } : { state: 'pending' };
  }
}
