import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, id } from '../../schema-parts';

/** The order's charge was given back (or voided if it never came). */
export interface PaymentRefundedV1 {
  orderId: string;
  amountCents: number;
  currency: string;
}

export const PaymentRefundedV1 = defineMessage<PaymentRefundedV1>({
  type: 'payment.refunded',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The order\'s charge was given back (or voided if it never came).',
  schema: strictObject({
    orderId: id,
    amountCents: cents,
    currency,
  }),
  key: (data) => data.orderId,
});
