import { defineMessage } from '../../message-definition';
import { cents, currency, email, id, sku, strictObject, text, timestamp } from '../../schema-parts';

/**
 * Version 2 of order.confirmed: the customer and the money are grouped, and the lines come
 * along. Incompatible with v1 (fields moved and renamed), hence a new version; order publishes
 * both while any consumer still reads v1 (notification does), then v1 can be retired.
 */
export interface OrderConfirmedV2 {
  orderId: string;
  customer: { id: string; email: string; name: string };
  total: { amountCents: number; currency: string };
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number }>;
  confirmedAt: string;
}

export const OrderConfirmedV2 = defineMessage<OrderConfirmedV2>({
  type: 'order.confirmed',
  version: 2,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'Stock reserved, payment taken, shipment scheduled (v2: grouped customer and total, with the lines).',
  schema: strictObject({
    orderId: id,
    customer: { type: 'object', additionalProperties: false, required: ['id', 'email', 'name'], properties: { id, email, name: text } },
    total: { type: 'object', additionalProperties: false, required: ['amountCents', 'currency'], properties: { amountCents: cents, currency } },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity', 'unitPriceCents'],
        properties: { sku, quantity: { type: 'integer', minimum: 1, maximum: 1000 }, unitPriceCents: cents },
      },
    },
    confirmedAt: timestamp,
  }),
  key: (data) => data.orderId,
});
