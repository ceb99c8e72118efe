import { Query } from '@nestjs/cqrs';
import type { Principal } from '@shop/platform';
import type { OrderStatus } from '../../domain/order';
import type { OrderView, StoredOrderEvent } from '../../domain/order-projection';

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly orderId: string,
    readonly viewer: Principal,
  ) {
    super();
  }
}

export interface OrderPage {
  items: OrderView[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly filter: { customerId?: string; status?: OrderStatus; cursor?: string; limit?: number },
    /** A customer lists only their own orders; an admin every customer's (or one's, by customerId). */
    readonly viewer: Principal,
  ) {
    super();
  }
}

export class GetOrderHistoryQuery extends Query<StoredOrderEvent[]> {
  constructor(
    readonly orderId: string,
    readonly viewer: Principal,
  ) {
    super();
  }
}
