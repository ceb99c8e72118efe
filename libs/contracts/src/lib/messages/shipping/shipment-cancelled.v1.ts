import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** The shipment was cancelled (or there was none). */
export interface ShipmentCancelledV1 {
  orderId: string;
}

export const ShipmentCancelledV1 = defineMessage<ShipmentCancelledV1>({
  type: 'shipping.shipment-cancelled',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The shipment was cancelled (or there was none).',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
