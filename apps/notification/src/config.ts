import { serviceConfigSchema } from '@shop/platform';
import type { z } from 'zod';

/** Everything the notification service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3004 });

export type NotificationConfig = z.infer<typeof configSchema>;
