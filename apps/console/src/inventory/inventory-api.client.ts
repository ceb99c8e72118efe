import { HttpException, Injectable } from '@nestjs/common';
import type { InventoryProduct, StockReceipt } from '@shop/console-api';
import { ShopServices, SERVICE_TIMEOUT_MS } from '../operations/shop-services';

/**
 * The inventory service's admin API, called with the signed-in admin's access token. Its refusals
 * of the request (400 naming the bad field, 404 for an unknown SKU, 409 for a receipt id reused
 * with other contents) reach the browser as they are, with their problem document.
 */
@Injectable()
export class InventoryApiClient {
  constructor(private readonly services: ShopServices) {}

  /** GET /products: every product with its stock, by SKU. */
  products(token: string): Promise<InventoryProduct[]> {
    return this.request<InventoryProduct[]>(token, 'GET', '/products');
  }

  /** POST /stock-receipts: the body as the browser sent it (inventory validates it and names any bad field). */
  receive(token: string, body: unknown): Promise<StockReceipt> {
    return this.request<StockReceipt>(token, 'POST', '/stock-receipts', body);
  }

  private async request<T>(token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.services.urls.inventory}${path}`, {
      method,
      body: method === 'GET' ? undefined : JSON.stringify(body ?? null),
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    const answer: unknown = await res.json().catch(() => null);
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) throw new HttpException(answer ?? res.statusText, res.status);
    // Anything else is the console's problem, not the browser's: a token the API refused, or a failing API.
    if (!res.ok) throw new HttpException({ title: 'The inventory API failed', detail: `${method} ${path} answered ${res.status}`, status: 502 }, 502);
    return answer as T;
  }
}
