import { defineMessage } from '../../message-definition';
import { strictObject, id, timestamp } from '../../schema-parts';

/** The shipment is scheduled. */
export interface ShipmentScheduledV1 {
  orderId: string;
  dispatchDueAt: string;
}

export const ShipmentScheduledV1 = defineMessage<ShipmentScheduledV1>({
  type: 'shipping.shipment-scheduled',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The shipment is scheduled.',
  schema: strictObject({
    orderId: id,
    dispatchDueAt: timestamp,
  }),
  key: (data) => data.orderId,
});
