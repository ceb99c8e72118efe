/**
 * The console backend's JSON API (apps/console/src/orders/orders.controller.ts), as the page reads
 * it. The two apps may not import each other, so these shapes are restated here; the browser test
 * (apps/shop-e2e/src/console.spec.ts) reads the page against the real backend.
 */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] as const;

export interface OrderRow {
  id: string;
  customerId: string;
  status: string;
  totalCents: number;
  currency: string;
  placedAt: string;
  updatedAt: string;
}

export interface OrderList {
  now: string;
  items: OrderRow[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  at: string;
  event: string;
  [detail: string]: unknown;
}

export interface Order extends OrderRow {
  lines: Array<{ sku: string; name: string; quantity: number; unitPriceCents: number; lineTotalCents: number }>;
  failureReason: string | null;
  timeline: TimelineEntry[];
}

export interface SagaStep {
  command: string;
  attempts: number;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  outcome: 'succeeded' | 'failed' | 'timed out' | 'in flight';
  reply: string | null;
  reason: string | null;
}

export interface OrderDetail {
  now: string;
  order: Order;
  steps: SagaStep[];
}

/** A refusal or failure of the console's API, with the problem document's words when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Who is signed in (GET /auth/me). */
export interface Me {
  user: string;
  roles: string[];
  admin: boolean;
}

/** Sends the browser to sign in through the identity provider, back to where it is now afterwards. */
export function signIn(): void {
  window.location.assign(`/auth/login?returnTo=${encodeURIComponent(window.location.pathname + window.location.hash)}`);
}

/** GET a JSON document from the console's backend; without a session (401) the browser goes to sign in. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (res.status === 401) signIn();
  const body = (await res.json().catch(() => null)) as { detail?: string; message?: string; title?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.detail ?? body?.message ?? body?.title ?? `${path} answered ${res.status}`);
  return body as T;
}
