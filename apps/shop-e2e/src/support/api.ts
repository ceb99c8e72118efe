import { waitFor, type Email, type ServiceName, type Tokens } from '@shop/testing';
import { randomUUID } from 'node:crypto';

/** The body of POST /orders: the customer (id, email, name) is the signed-in user, not a field. */
export interface OrderBody {
  lines: Array<{ sku: string; quantity: number }>;
  shippingAddress: { name: string; street: string; city: string; postalCode: string; country: string };
  paymentMethod: string;
}

export interface OrderView {
  id: string;
  customerId: string;
  status: string;
  lines: Array<{ sku: string; name: string; quantity: number; unitPriceCents: number; lineTotalCents: number }>;
  totalCents: number;
  currency: string;
  failureReason: string | null;
  timeline: Array<{ at: string; event: string; command?: string; reply?: string; reason?: string; ignored?: string; waitingFor?: string; why?: string }>;
  placedAt: string;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A valid order; override what a test is about. */
export function orderBody(overrides: Partial<OrderBody> = {}): OrderBody {
  return {
    lines: [{ sku: 'MUG-LOGO', quantity: 2 }],
    shippingAddress: { name: 'Alice Example', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
    paymentMethod: 'card',
    ...overrides,
  };
}

/** Where a shop answers and who signs in to it: a private `Shop`, or the composed shop's containers. */
export interface ShopEndpoints {
  readonly tokens: Tokens;
  url(service: ServiceName): string;
}

/** The order API as one user of the realm (alice unless told otherwise; null: no token at all). */
export class OrdersApi {
  constructor(
    private readonly shop: ShopEndpoints,
    readonly user: string | null = 'alice',
  ) {}

  /** The same API signed in as someone else. */
  as(user: string | null): OrdersApi {
    return new OrdersApi(this.shop, user);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const signedIn = this.user ? await this.shop.tokens.header(this.user) : {};
    const res = await fetch(`${this.shop.url('order')}${path}`, {
      method,
      headers: { ...signedIn, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  }

  /** POST /orders; answers 202 { orderId, status } or a problem. */
  place(body: unknown, key: string = randomUUID()): Promise<Answer<{ orderId: string; status: string; code?: string; detail?: string }>> {
    return this.request('POST', '/orders', body, { 'idempotency-key': key });
  }

  async placeOk(body: unknown): Promise<string> {
    const answer = await this.place(body);
    if (answer.status !== 202) throw new Error(`POST /orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.orderId;
  }

  async get(orderId: string): Promise<OrderView> {
    const answer = await this.request<OrderView>('GET', `/orders/${orderId}`);
    if (answer.status !== 200) throw new Error(`GET /orders/${orderId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Polls GET /orders/:id until the status is one of `statuses`. */
  async waitForStatus(orderId: string, statuses: string[], timeoutMs = 60_000): Promise<OrderView> {
    let last: OrderView | undefined;
    try {
      await waitFor(`order ${orderId} to reach ${statuses.join('|')}`, async () => statuses.includes((last = await this.get(orderId)).status), timeoutMs, 200);
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
    }
    return last as OrderView;
  }
}

/** The subjects of an order's emails, without the "Your order <id> " they start with. */
export async function emailsFor(shop: { emails(): Promise<Email[]> }, orderId: string): Promise<string[]> {
  return (await shop.emails()).filter((m) => m.Subject.includes(orderId)).map((m) => m.Subject.replace(`Your order ${orderId} `, ''));
}
