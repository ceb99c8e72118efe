import type { SagaStep, TimelineEntry } from './saga-steps';

/** The order statuses the list can filter by (the order API's; its domain owns the list). */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] as const;

/** An order as the order API's GET /orders/:id returns it; the console passes it on. */
export interface Order {
  id: string;
  customerId: string;
  status: string;
  lines: Array<{ sku: string; name: string; quantity: number; unitPriceCents: number; lineTotalCents: number }>;
  totalCents: number;
  currency: string;
  failureReason: string | null;
  timeline: TimelineEntry[];
  placedAt: string;
  updatedAt: string;
  version: number;
}

/** One event of an order's history, as the order API's GET /orders/:id/history returns it (its audit trail). */
export interface OrderHistoryEvent {
  seq: number;
  type: string;
  status: string;
  data: Record<string, unknown>;
  at: string;
}

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
}
