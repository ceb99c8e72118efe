import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { customerEmail, customerName, id, strictObject, text } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
  reason: text,
});

/** The order could not be completed; everything done was undone. */
export type OrderRejectedV1 = FromSchema<typeof schema>;

export const OrderRejectedV1 = defineMessage({
  type: 'order.rejected',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The order could not be completed; everything done was undone.',
  schema,
  key: (data) => data.orderId,
});
