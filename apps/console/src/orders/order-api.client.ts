import { HttpException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Order, OrderAccepted, OrderHistoryEvent, OrderPage } from '@shop/console-api';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';

/**
 * The order service's REST API, read with the signed-in admin's access token. Its refusals (400
 * for a bad filter, 404 for an unknown order) reach the browser as they are, with their problem
 * document.
 */
@Injectable()
export class OrderApiClient {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  list(token: string, query: Record<string, string | undefined>): Promise<OrderPage> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return this.request<OrderPage>(token, `/orders?${params}`);
  }

  order(token: string, id: string): Promise<Order> {
    return this.request<Order>(token, `/orders/${encodeURIComponent(id)}`);
  }

  history(token: string, id: string): Promise<OrderHistoryEvent[]> {
    return this.request<OrderHistoryEvent[]>(token, `/orders/${encodeURIComponent(id)}/history`);
  }

  /** POST /orders with a fresh Idempotency-Key (each click is a new order). */
  place(token: string, body: unknown): Promise<OrderAccepted> {
    return this.request(token, '/orders', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() } });
  }

  /** POST /orders/:id/cancel: allowed until dispatch (409 after); the saga then undoes every step. */
  cancel(token: string, id: string): Promise<OrderAccepted> {
    return this.request(token, `/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: '', headers: {} });
  }

  private async request<T>(token: string, path: string, init: { method: string; body: string; headers: Record<string, string> } = { method: 'GET', body: '', headers: {} }): Promise<T> {
    const res = await fetch(`${this.config.ORDER_API_URL}${path}`, {
      method: init.method,
      body: init.method === 'GET' ? undefined : init.body,
      headers: { ...init.headers, authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    const body: unknown = await res.json().catch(() => null);
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) throw new HttpException(body ?? res.statusText, res.status);
    // Anything else is the console's problem, not the browser's: a token the API refused, or a failing API.
    if (!res.ok) throw new HttpException({ title: 'The order API failed', detail: `${init.method} ${path} answered ${res.status}`, status: 502 }, 502);
    return body as T;
  }
}
