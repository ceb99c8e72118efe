import { nonNegativeIntSetting, positiveIntSetting, serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the order service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3000 }).extend({
  /** How long a saga step (reserve, charge, schedule) may take before the order is compensated and rejected. */
  ORDER_STEP_TIMEOUT_MS: positiveIntSetting(10_000),
  /** First wait before a compensation is sent again; doubles per attempt up to the maximum. */
  ORDER_COMPENSATION_RETRY_MS: positiveIntSetting(2_000),
  ORDER_COMPENSATION_RETRY_MAX_MS: positiveIntSetting(60_000),
  /** How often overdue deadlines are looked for. */
  ORDER_DEADLINE_TICK_MS: positiveIntSetting(500),
  /** How long an Idempotency-Key is honoured (its stored answer replayed); at least 24 hours. */
  IDEMPOTENCY_KEY_RETENTION_HOURS: positiveIntSetting(48).refine((h) => h >= 24, 'must be at least 24 (a client may retry for a day)'),
  /** Requests to /orders and /products one client address may make per minute (429 beyond); 0 turns the limit off (load generators). */
  ORDER_RATE_LIMIT_PER_MINUTE: nonNegativeIntSetting(600),
});

export type OrderConfig = z.infer<typeof configSchema>;
