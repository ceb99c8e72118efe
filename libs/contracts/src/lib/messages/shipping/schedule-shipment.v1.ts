import { defineMessage } from '../../message-definition';
import { strictObject, address, id } from '../../schema-parts';

/** Schedule the order's shipment to an address. */
export interface ScheduleShipmentV1 {
  orderId: string;
  address: { name: string; street: string; city: string; postalCode: string; country: string };
}

export const ScheduleShipmentV1 = defineMessage<ScheduleShipmentV1>({
  type: 'shipping.schedule-shipment',
  version: 1,
  kind: 'command',
  topic: 'shipping.commands',
  owner: 'shipping',
  description: 'Schedule the order\'s shipment to an address.',
  schema: strictObject({
    orderId: id,
    address,
  }),
  key: (data) => data.orderId,
});
