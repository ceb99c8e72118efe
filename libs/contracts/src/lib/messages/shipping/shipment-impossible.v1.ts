import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  reason: text,
});

/** The address cannot be shipped to; the reason says why. */
export type ShipmentImpossibleV1 = FromSchema<typeof schema>;

export const ShipmentImpossibleV1 = defineMessage({
  type: 'shipping.shipment-impossible',
  version: 1,
  kind: 'event',
  topic: 'shipping.events',
  owner: 'shipping',
  description: 'The address cannot be shipped to; the reason says why.',
  schema,
  key: (data) => data.orderId,
});
