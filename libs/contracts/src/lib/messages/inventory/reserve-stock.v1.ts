import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, stockLine } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  lines: { type: 'array', minItems: 1, maxItems: 50, items: stockLine },
});

/** Reserve every line of an order, all or nothing. */
export type ReserveStockV1 = FromSchema<typeof schema>;

export const ReserveStockV1 = defineMessage({
  type: 'inventory.reserve-stock',
  version: 1,
  kind: 'command',
  topic: 'inventory.commands',
  owner: 'inventory',
  description: 'Reserve every line of an order, all or nothing.',
  schema,
  key: (data) => data.orderId,
});
