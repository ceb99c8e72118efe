import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { cents, currency, customerEmail, customerName, id, strictObject } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
  totalCents: cents,
  currency,
});

/** Stock reserved, payment taken, shipment scheduled. */
export type OrderConfirmedV1 = FromSchema<typeof schema>;

export const OrderConfirmedV1 = defineMessage({
  type: 'order.confirmed',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'Stock reserved, payment taken, shipment scheduled.',
  schema,
  key: (data) => data.orderId,
});
