import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
});

/** Give back what was reserved for an order (compensation). */
export type ReleaseStockV1 = FromSchema<typeof schema>;

export const ReleaseStockV1 = defineMessage({
  type: 'inventory.release-stock',
  version: 1,
  kind: 'command',
  topic: 'inventory.commands',
  owner: 'inventory',
  description: 'Give back what was reserved for an order (compensation).',
  schema,
  key: (data) => data.orderId,
});
