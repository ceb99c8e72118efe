import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, email, id, text } from '../../schema-parts';

/** Stock reserved, payment taken, shipment scheduled. */
export interface OrderConfirmedV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
  totalCents: number;
  currency: string;
}

export const OrderConfirmedV1 = defineMessage<OrderConfirmedV1>({
  type: 'order.confirmed',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'Stock reserved, payment taken, shipment scheduled.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
    totalCents: cents,
    currency,
  }),
  key: (data) => data.orderId,
});
