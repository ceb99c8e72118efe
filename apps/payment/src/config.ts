import { positiveIntSetting, serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the payment service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3002 }).extend({
  /** Take a snapshot of an account every this many events. */
  PAYMENT_SNAPSHOT_EVERY: positiveIntSetting(20),
});

export type PaymentConfig = z.infer<typeof configSchema>;
