import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** The parcel left the warehouse. */
export interface ShipmentDispatchedV1 {
  orderId: string;
}

export const ShipmentDispatchedV1 = defineMessage<ShipmentDispatchedV1>({
  type: 'shipping.shipment-dispatched',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The parcel left the warehouse.',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
