import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** The parcel was delivered. */
export type ShipmentDeliveredV1 = FromSchema<typeof schema>;

export const ShipmentDeliveredV1 = defineMessage({
  type: 'shipping.shipment-delivered',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The parcel was delivered.',
  schema,
  key: (data) => data.orderId,
});
