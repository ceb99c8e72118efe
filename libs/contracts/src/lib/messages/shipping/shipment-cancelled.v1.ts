import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** The shipment was cancelled (or there was none). */
export type ShipmentCancelledV1 = FromSchema<typeof schema>;

export const ShipmentCancelledV1 = defineMessage({
  type: 'shipping.shipment-cancelled',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The shipment was cancelled (or there was none).',
  schema,
  key: (data) => data.orderId,
});
