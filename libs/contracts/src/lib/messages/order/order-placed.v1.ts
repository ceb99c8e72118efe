import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { cents, currency, customerEmail, customerName, id, pricedLine, strictObject, timestamp } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
  lines: { type: 'array', minItems: 1, maxItems: 50, items: pricedLine },
  totalCents: cents,
  currency,
  placedAt: timestamp,
});

/** An order was accepted for processing; the saga starts. */
export type OrderPlacedV1 = FromSchema<typeof schema>;

export const OrderPlacedV1 = defineMessage({
  type: 'order.placed',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'An order was accepted for processing; the saga starts.',
  schema,
  key: (data) => data.orderId,
});
