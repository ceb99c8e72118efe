import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, currency, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  amountCents: { type: 'integer', minimum: 1 },
  currency,
  paymentMethod: { type: 'string', minLength: 1, maxLength: 50 },
});

/** Charge the customer's account for an order. */
export type ChargePaymentV1 = FromSchema<typeof schema>;

export const ChargePaymentV1 = defineMessage({
  type: 'payment.charge-payment',
  version: 1,
  kind: 'command',
  topic: 'payment.commands',
  owner: 'payment',
  description: 'Charge the customer\'s account for an order.',
  schema,
  key: (data) => data.orderId,
});
