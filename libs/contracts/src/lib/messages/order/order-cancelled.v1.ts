import { defineMessage } from '../../message-definition';
import { strictObject, email, id, text } from '../../schema-parts';

/** The customer cancelled before dispatch; everything done was undone. */
export interface OrderCancelledV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
}

export const OrderCancelledV1 = defineMessage<OrderCancelledV1>({
  type: 'order.cancelled',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The customer cancelled before dispatch; everything done was undone.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
  }),
  key: (data) => data.orderId,
});
