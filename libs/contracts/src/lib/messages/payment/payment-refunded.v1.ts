import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  amountCents: cents,
  currency,
});

/** The order's charge was given back (or voided if it never came). */
export type PaymentRefundedV1 = FromSchema<typeof schema>;

export const PaymentRefundedV1 = defineMessage({
  type: 'payment.refunded',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The order\'s charge was given back (or voided if it never came).',
  schema,
  key: (data) => data.orderId,
});
