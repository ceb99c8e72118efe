import { Command } from '@nestjs/cqrs';
import type { StoredResponse } from '@shop/platform';
import type { ShippingAddress } from '../../domain/order';

/** What a customer asks for, already validated (the HTTP layer's zod schema produces it). */
export interface OrderRequest {
  customerEmail: string;
  customerName: string;
  lines: Array<{ sku: string; quantity: number }>;
  shippingAddress: ShippingAddress;
  paymentMethod: string;
}

export interface PlaceOrderAnswer {
  orderId: string;
  status: string;
}

export class PlaceOrderCommand extends Command<StoredResponse<PlaceOrderAnswer>> {
  constructor(
    readonly idempotencyKey: string,
    /** The signed-in customer (the access token's subject), never a field of the body. */
    readonly customerId: string,
    readonly request: OrderRequest,
  ) {
    super();
  }
}
