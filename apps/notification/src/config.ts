import { portSetting, positiveIntSetting, serviceConfigSchema } from '@shop/platform';
import { z } from 'zod';

/** Everything the notification service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3004 }).extend({
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: portSetting(1025),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('The Shop <shop@shop.local>'),
  NOTIFICATION_POLL_MS: positiveIntSetting(500),
});

export type NotificationConfig = z.infer<typeof configSchema>;
