import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { cents, closedObject, currency, customerEmail, customerName, id, quantity, sku, strictObject, timestamp } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customer: closedObject({ id, email: customerEmail, name: customerName }),
  total: closedObject({ amountCents: cents, currency }),
  lines: { type: 'array', minItems: 1, maxItems: 50, items: closedObject({ sku, quantity, unitPriceCents: cents }) },
  confirmedAt: timestamp,
});

/**
 * Version 2 of order.confirmed: the customer and the money are grouped, and the lines come
 * along. Incompatible with v1 (fields moved and renamed), hence a new version; order publishes
 * both while any consumer still reads v1 (notification does), then v1 can be retired.
 */
export type OrderConfirmedV2 = FromSchema<typeof schema>;

export const OrderConfirmedV2 = defineMessage({
  type: 'order.confirmed',
  version: 2,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'Stock reserved, payment taken, shipment scheduled (v2: grouped customer and total, with the lines).',
  schema,
  key: (data) => data.orderId,
});
