import type { paths } from './order-api.generated';
import type { SagaStep } from './saga-steps';

/** The order statuses the list can filter by (the order API's; its domain owns the list, console-api.spec.ts checks this copy against its document). */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] as const;

/**
 * An order as the order API's GET /orders/:id returns it; the console passes it on. This and the
 * types below are the order API's own answers, read from the types `npm run order:openapi`
 * generates from its committed OpenAPI document.
 */
export type Order = paths['/orders/{id}']['get']['responses'][200]['content']['application/json'];

/** GET /orders of the order API: a page of orders, newest first. */
export type OrderPage = paths['/orders']['get']['responses'][200]['content']['application/json'];

/** One event of an order's history, as the order API's GET /orders/:id/history returns it (its audit trail). */
export type OrderHistoryEvent = paths['/orders/{id}/history']['get']['responses'][200]['content']['application/json'][number];

/** The order API's answer to POST /orders and POST /orders/:id/cancel: the order's id and its status now. */
export type OrderAccepted = paths['/orders']['post']['responses'][202]['content']['application/json'];

/** A row of the console's order list: what the list shows, not the whole order. */
export type OrderRow = Pick<Order, 'id' | 'customerId' | 'status' | 'totalCents' | 'currency' | 'placedAt' | 'updatedAt'>;

/** GET /api/orders: newest first; `now` lets the page show ages by the server's clock. */
export interface OrderList {
  now: string;
  items: OrderRow[];
  nextCursor: string | null;
}

/** GET /api/orders/:id: the order, its saga's steps (read from its timeline) and its history. */
export interface OrderDetail {
  now: string;
  order: Order;
  steps: SagaStep[];
  history: OrderHistoryEvent[];
}

/** GET /auth/me: who is signed in. */
export interface Me {
  user: string;
  roles: string[];
  admin: boolean;
  /** Sent back in the x-csrf-token header with every request that changes something. */
  csrfToken: string;
}
