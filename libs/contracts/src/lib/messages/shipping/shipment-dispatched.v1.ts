import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** The parcel left the warehouse. */
export type ShipmentDispatchedV1 = FromSchema<typeof schema>;

export const ShipmentDispatchedV1 = defineMessage({
  type: 'shipping.shipment-dispatched',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The parcel left the warehouse.',
  schema,
  key: (data) => data.orderId,
});
