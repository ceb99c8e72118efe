import { defineMessage } from '../../message-definition';
import { strictObject, id } from '../../schema-parts';

/** The order's reservation was given back (or there was none). */
export interface StockReleasedV1 {
  orderId: string;
}

export const StockReleasedV1 = defineMessage<StockReleasedV1>({
  type: 'inventory.stock-released',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'The order\'s reservation was given back (or there was none).',
  schema: strictObject({
    orderId: id,
  }),
  key: (data) => data.orderId,
});
