import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** Cancel the order's shipment before dispatch (compensation). */
export type CancelShipmentV1 = FromSchema<typeof schema>;

export const CancelShipmentV1 = defineMessage({
  type: 'shipping.cancel-shipment',
  version: 1,
  kind: 'command',
  topic: 'shipping.commands',
  owner: 'shipping',
  description: 'Cancel the order\'s shipment before dispatch (compensation).',
  schema,
  key: (data) => data.orderId,
});
