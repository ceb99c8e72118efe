import { defineMessage } from '../../message-definition';
import { strictObject, id, stockLine } from '../../schema-parts';

/** Reserve every line of an order, all or nothing. */
export interface ReserveStockV1 {
  orderId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export const ReserveStockV1 = defineMessage<ReserveStockV1>({
  type: 'inventory.reserve-stock',
  version: 1,
  kind: 'command',
  topic: 'inventory.commands',
  owner: 'inventory',
  description: 'Reserve every line of an order, all or nothing.',
  schema: strictObject({
    orderId: id,
    lines: { type: 'array', minItems: 1, maxItems: 50, items: stockLine },
  }),
  key: (data) => data.orderId,
});
