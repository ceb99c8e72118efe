import { defineMessage } from '../../message-definition';
import { strictObject, id, stockLine } from '../../schema-parts';

/** Every line of the order is reserved. */
export interface StockReservedV1 {
  orderId: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export const StockReservedV1 = defineMessage<StockReservedV1>({
  type: 'inventory.stock-reserved',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'Every line of the order is reserved.',
  schema: strictObject({
    orderId: id,
    lines: { type: 'array', minItems: 1, items: stockLine },
  }),
  key: (data) => data.orderId,
});
