import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

/** The charge was refused; the reason says why. */
export interface PaymentDeclinedV1 {
  orderId: string;
  reason: string;
}

export const PaymentDeclinedV1 = defineMessage<PaymentDeclinedV1>({
  type: 'payment.declined',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The charge was refused; the reason says why.',
  schema: strictObject({
    orderId: id,
    reason: text,
  }),
  key: (data) => data.orderId,
});
