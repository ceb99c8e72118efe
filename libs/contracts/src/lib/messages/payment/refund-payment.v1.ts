import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, currency, id } from '../../schema-parts';

const schema = strictObject({
  orderId: id,
  customerId: id,
  currency,
});

/** Refund an order's charge (compensation). */
export type RefundPaymentV1 = FromSchema<typeof schema>;

export const RefundPaymentV1 = defineMessage({
  type: 'payment.refund-payment',
  version: 1,
  kind: 'command',
  topic: 'payment.commands',
  owner: 'payment',
  description: 'Refund an order\'s charge (compensation).',
  schema,
  key: (data) => data.orderId,
});
