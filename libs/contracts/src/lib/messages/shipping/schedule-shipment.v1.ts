import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, address, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  address,
});

/** Schedule the order's shipment to an address. */
export type ScheduleShipmentV1 = FromSchema<typeof schema>;

export const ScheduleShipmentV1 = defineMessage({
  type: 'shipping.schedule-shipment',
  version: 1,
  kind: 'command',
  topic: 'shipping.commands',
  owner: 'shipping',
  description: 'Schedule the order\'s shipment to an address.',
  schema,
  key: (data) => data.orderId,
});
