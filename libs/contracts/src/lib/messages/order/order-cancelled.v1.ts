import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { customerEmail, customerName, id, strictObject } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
});

/** The customer cancelled before dispatch; everything done was undone. */
export type OrderCancelledV1 = FromSchema<typeof schema>;

export const OrderCancelledV1 = defineMessage({
  type: 'order.cancelled',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The customer cancelled before dispatch; everything done was undone.',
  schema,
  key: (data) => data.orderId,
});
