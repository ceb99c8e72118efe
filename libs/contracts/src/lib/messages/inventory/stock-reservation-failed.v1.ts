import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

/** Nothing was reserved; the reason names the SKU. */
export interface StockReservationFailedV1 {
  orderId: string;
  reason: string;
}

export const StockReservationFailedV1 = defineMessage<StockReservationFailedV1>({
  type: 'inventory.stock-reservation-failed',
  version: 1,
  kind: 'event',
  topic: 'inventory.events',
  owner: 'inventory',
  description: 'Nothing was reserved; the reason names the SKU.',
  schema: strictObject({
    orderId: id,
    reason: text,
  }),
  key: (data) => data.orderId,
});
