import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** Cancel the order's shipment before dispatch (compensation). */
export interface CancelShipmentV1 {
  orderId: string;
}

export const CancelShipmentV1 = defineMessage<CancelShipmentV1>({
  type: 'shipping.cancel-shipment',
  version: 1,
  kind: 'command',
  topic: 'shipping.commands',
  owner: 'shipping',
  description: 'Cancel the order\'s shipment before dispatch (compensation).',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
