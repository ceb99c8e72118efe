import { Command } from '@nestjs/cqrs';
import type { StoredResponse } from '@shop/platform';
import type { PlaceOrderRequest } from '../../http/place-order.request';

export interface PlaceOrderAnswer {
  orderId: string;
  status: string;
}

export class PlaceOrderCommand extends Command<StoredResponse<PlaceOrderAnswer>> {
  constructor(
    readonly idempotencyKey: string,
    /** The signed-in customer (the access token's subject), never a field of the body. */
    readonly customerId: string,
    readonly request: PlaceOrderRequest,
  ) {
    super();
  }
}
