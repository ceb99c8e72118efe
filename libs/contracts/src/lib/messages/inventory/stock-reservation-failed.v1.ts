import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  reason: text,
});

/** Nothing was reserved; the reason names the SKU. */
export type StockReservationFailedV1 = FromSchema<typeof schema>;

export const StockReservationFailedV1 = defineMessage({
  type: 'inventory.stock-reservation-failed',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'Nothing was reserved; the reason names the SKU.',
  schema,
  key: (data) => data.orderId,
});
