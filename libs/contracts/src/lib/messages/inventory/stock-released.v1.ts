import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** The order's reservation was given back (or there was none). */
export type StockReleasedV1 = FromSchema<typeof schema>;

export const StockReleasedV1 = defineMessage({
  type: 'inventory.stock-released',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'The order\'s reservation was given back (or there was none).',
  schema,
  key: (data) => data.orderId,
});
