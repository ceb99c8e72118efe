import { defineMessage } from '../../message-definition';
import { strictObject, email, id, text } from '../../schema-parts';

/** The order could not be completed; everything done was undone. */
export interface OrderRejectedV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
  reason: string;
}

export const OrderRejectedV1 = defineMessage<OrderRejectedV1>({
  type: 'order.rejected',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The order could not be completed; everything done was undone.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
    reason: text,
  }),
  key: (data) => data.orderId,
});
