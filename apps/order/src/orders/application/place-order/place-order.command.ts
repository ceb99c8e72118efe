import { Command } from '@nestjs/cqrs';
import type { StoredResponse } from '@shop/platform';
import type { Customer, ShippingAddress } from '../../domain/order';

/** What a customer asks for, already validated (the HTTP layer's zod schema produces it). */
export interface OrderRequest {
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
    /** The signed-in customer: id, email and name from the access token, never from the body. */
    readonly customer: Customer,
    readonly request: OrderRequest,
  ) {
    super();
  }
}
