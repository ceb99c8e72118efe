import { defineMessage } from '../../message-definition';
import { strictObject, email, id, text } from '../../schema-parts';

/** The parcel left the warehouse. */
export interface OrderShippedV1 {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerName: string;
}

export const OrderShippedV1 = defineMessage<OrderShippedV1>({
  type: 'order.shipped',
  version: 1,
  kind: 'event',
  topic: 'order.events',
  owner: 'order',
  description: 'The parcel left the warehouse.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    customerEmail: email,
    customerName: text,
  }),
  key: (data) => data.orderId,
});
