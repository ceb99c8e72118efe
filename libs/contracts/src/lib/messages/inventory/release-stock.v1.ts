import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** Give back what was reserved for an order (compensation). */
export interface ReleaseStockV1 {
  orderId: string;
}

export const ReleaseStockV1 = defineMessage<ReleaseStockV1>({
  type: 'inventory.release-stock',
  version: 1,
  kind: 'command',
  topic: 'inventory.commands',
  owner: 'inventory',
  description: 'Give back what was reserved for an order (compensation).',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
