import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

/** The address cannot be shipped to; the reason says why. */
export interface ShipmentImpossibleV1 {
  orderId: string;
  reason: string;
}

export const ShipmentImpossibleV1 = defineMessage<ShipmentImpossibleV1>({
  type: 'shipping.shipment-impossible',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The address cannot be shipped to; the reason says why.',
  schema: strictObject({
    orderId: id,
    reason: text,
  }),
  key: (data) => data.orderId,
});
