import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { customerEmail, customerName, id, strictObject } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
});

/** The parcel was delivered. */
export type OrderDeliveredV1 = FromSchema<typeof schema>;

export const OrderDeliveredV1 = defineMessage({
  type: 'order.delivered',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The parcel was delivered.',
  schema,
  key: (data) => data.orderId,
});
