import { nonNegativeIntSetting, streamServiceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the analytics service reads from its environment, validated at boot. No database: its state is a compacted topic. */
export const configSchema = streamServiceConfigSchema({ port: 3005 }).extend({
  /** How long after a window's end (in stream time) late events still count in it (default 30 s). */
  ANALYTICS_GRACE_MS: nonNegativeIntSetting(30_000),
});

export type AnalyticsConfig = z.infer<typeof configSchema>;
