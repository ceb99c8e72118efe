import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, id, text } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  reason: text,
});

/** The charge was refused; the reason says why. */
export type PaymentDeclinedV1 = FromSchema<typeof schema>;

export const PaymentDeclinedV1 = defineMessage({
  type: 'payment.declined',
  version: 1,
  kind: 'event',
  topic: 'payment.events',
  owner: 'payment',
  description: 'The charge was refused; the reason says why.',
  schema,
  key: (data) => data.orderId,
});
