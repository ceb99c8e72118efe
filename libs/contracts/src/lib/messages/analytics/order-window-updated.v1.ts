import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { cents, closedObject, currency, strictObject, text, timestamp } from '../../schema-parts';

const count = { type: 'integer', minimum: 0 } as const;

const schema = strictObject({
  /** The window is [windowStart, windowEnd): one minute of order events by their own time. */
  windowStart: timestamp,
  windowEnd: timestamp,
  /** Confirmed revenue per currency, in cents, sorted by currency. */
  revenue: { type: 'array', maxItems: 200, items: closedObject({ currency, amountCents: cents }) },
  confirmed: count,
  /** Rejected orders per reason code (OUT_OF_STOCK, CARD_DECLINED, ...), sorted by reason. */
  rejected: { type: 'array', maxItems: 200, items: closedObject({ reason: text, count }) },
  /** Events of this window that arrived after it closed (its end plus the grace period): counted here, not aggregated. */
  tooLate: count,
  /** True once every input partition's stream time has passed windowEnd plus the grace: the result will not change again (but for tooLate). */
  final: { type: 'boolean' },
  /** The highest event time seen per input partition when this record was written: how the processor resumes after a restart. */
  streamTimes: { type: 'array', maxItems: 1000, items: closedObject({ partition: count, streamTime: timestamp }) },
});

/** One minute of orders by event time: revenue, confirmed and rejected counts (log-compacted: the latest per window is kept). */
export type OrderWindowUpdatedV1 = FromSchema<typeof schema>;

export const OrderWindowUpdatedV1 = defineMessage({
  type: 'analytics.order-window-updated',
  version: 1,
  kind: 'event',
  topic: 'analytics.order-windows',
  owner: 'analytics',
  description: 'One minute of orders by event time: revenue per currency, confirmed and rejected counts, too-late events, and whether it is final (log-compacted: the latest per window is kept).',
  schema,
  key: (data) => data.windowStart,
});
