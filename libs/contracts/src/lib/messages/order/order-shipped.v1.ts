import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { customerEmail, customerName, id, strictObject } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  customerEmail,
  customerName,
});

/** The parcel left the warehouse. */
export type OrderShippedV1 = FromSchema<typeof schema>;

export const OrderShippedV1 = defineMessage({
  type: 'order.shipped',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The parcel left the warehouse.',
  schema,
  key: (data) => data.orderId,
});
