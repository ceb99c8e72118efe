import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, stockLine } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  lines: { type: 'array', minItems: 1, items: stockLine },
});

/** Every line of the order is reserved. */
export type StockReservedV1 = FromSchema<typeof schema>;

export const StockReservedV1 = defineMessage({
  type: 'inventory.stock-reserved',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'Every line of the order is reserved.',
  schema,
  key: (data) => data.orderId,
});
