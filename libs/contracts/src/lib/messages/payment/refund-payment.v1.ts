import { defineMessage } from '../../message-definition';
import { strictObject, currency, id } from '../../schema-parts';

/** Refund an order's charge (compensation). */
export interface RefundPaymentV1 {
  orderId: string;
  customerId: string;
  currency: string;
}

export const RefundPaymentV1 = defineMessage<RefundPaymentV1>({
  type: 'payment.refund-payment',
  version: 1,
  kind: 'command',
  topic: 'payment.commands',
  owner: 'payment',
  description: 'Refund an order\'s charge (compensation).',
  schema: strictObject({
    orderId: id,
    customerId: id,
    currency,
  }),
  key: (data) => data.orderId,
});
