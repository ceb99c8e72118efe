import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, email, id, pricedLine, text, timestamp } from '../../schema-parts';

/** An order was accepted for processing; the saga starts. */
export interface OrderPlacedV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
  lines: Array<{ sku: string; name: string; quantity: number; unitPriceCents: number }>;
  totalCents: number;
  currency: string;
  placedAt: string;
}

export const OrderPlacedV1 = defineMessage<OrderPlacedV1>({
  type: 'order.placed',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'An order was accepted for processing; the saga starts.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
    lines: { type: 'array', minItems: 1, maxItems: 50, items: pricedLine },
    totalCents: cents,
    currency,
    placedAt: timestamp,
  }),
  key: (data) => data.orderId,
});
