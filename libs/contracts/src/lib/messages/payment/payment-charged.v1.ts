import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, id } from '../../schema-parts';

/** The order's amount was taken from the account. */
export interface PaymentChargedV1 {
  orderId: string;
  amountCents: number;
  currency: string;
}

export const PaymentChargedV1 = defineMessage<PaymentChargedV1>({
  type: 'payment.charged',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The order\'s amount was taken from the account.',
  schema: strictObject({
    orderId: id,
    amountCents: cents,
    currency,
  }),
  key: (data) => data.orderId,
});
