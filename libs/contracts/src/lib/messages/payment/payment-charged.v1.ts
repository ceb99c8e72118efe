import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  amountCents: cents,
  currency,
});

/** The order's amount was taken from the account. */
export type PaymentChargedV1 = FromSchema<typeof schema>;

export const PaymentChargedV1 = defineMessage({
  type: 'payment.charged',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The order\'s amount was taken from the account.',
  schema,
  key: (data) => data.orderId,
});
