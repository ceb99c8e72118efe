import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, timestamp } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  dispatchDueAt: timestamp,
});

/** The shipment is scheduled. */
export type ShipmentScheduledV1 = FromSchema<typeof schema>;

export const ShipmentScheduledV1 = defineMessage({
  type: 'shipping.shipment-scheduled',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The shipment is scheduled.',
  schema,
  key: (data) => data.orderId,
});
