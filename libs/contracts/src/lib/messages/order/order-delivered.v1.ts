import { defineMessage } from '../../message-definition';
import { strictObject, email, id, text } from '../../schema-parts';

/** The parcel was delivered. */
export interface OrderDeliveredV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
}

export const OrderDeliveredV1 = defineMessage<OrderDeliveredV1>({
  type: 'order.delivered',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The parcel was delivered.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
  }),
  key: (data) => data.orderId,
});
