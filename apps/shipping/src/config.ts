import { positiveIntSetting, serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the shipping service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3003 }).extend({
  /** Simulated clock: time from scheduling to dispatch, and from dispatch to delivery. */
  SHIPPING_DISPATCH_AFTER_MS: positiveIntSetting(10_000),
  SHIPPING_DELIVER_AFTER_MS: positiveIntSetting(20_000),
  /** How often the clock looks for shipments to move. */
  SHIPPING_CLOCK_TICK_MS: positiveIntSetting(1_000),
});

export type ShippingConfig = z.infer<typeof configSchema>;
