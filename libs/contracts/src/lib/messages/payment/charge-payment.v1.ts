import { defineMessage } from '../../message-definition';
import { strictObject, currency, id } from '../../schema-parts';

/** Charge the customer's account for an order. */
export interface ChargePaymentV1 {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
}

export const ChargePaymentV1 = defineMessage<ChargePaymentV1>({
  type: 'payment.charge-payment',
  version: 1,
  kind: 'command',
  topic: 'payment.commands',
  owner: 'payment',
  description: 'Charge the customer\'s account for an order.',
  schema: strictObject({
    orderId: id,
    customerId: id,
    amountCents: { type: 'integer', minimum: 1 },
    currency,
    paymentMethod: { type: 'string', minLength: 1, maxLength: 50 },
  }),
  key: (data) => data.orderId,
});
