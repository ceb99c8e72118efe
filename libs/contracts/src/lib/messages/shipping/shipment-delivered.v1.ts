import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** The parcel was delivered. */
export interface ShipmentDeliveredV1 {
  orderId: string;
}

export const ShipmentDeliveredV1 = defineMessage<ShipmentDeliveredV1>({
  type: 'shipping.shipment-delivered',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The parcel was delivered.',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
