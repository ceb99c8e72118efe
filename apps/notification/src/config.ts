import { portSetting, positiveIntSetting, serviceConfigSchema } from '@shop/platform';
import { z } from 'zod';

/** Everything the notification service reads from its environment, validated at boot. */
export const configSchema = serviceConfigSchema({ port: 3004 })
  .extend({
    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: portSetting(1025),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    /**
     * How the connection to the SMTP server is protected: `starttls` (Docker Compose, the Helm
     * chart, `npm run shop` and the tests: the server must offer STARTTLS, or nothing is sent), `tls`
     * (TLS from the first byte, usually port 465), or `none` (the default: plain text, such as the
     * local Mailpit with SHOP_TLS=off). With TLS the
     * server's certificate is verified against Node's trusted CAs, plus NODE_EXTRA_CA_CERTS' CA.
     */
    SMTP_SECURITY: z.enum(['starttls', 'tls', 'none'], { error: 'must be "starttls", "tls" or "none"' }).default('none'),
    MAIL_FROM: z.string().min(3).default('The Shop <shop@shop.local>'),
    NOTIFICATION_POLL_MS: positiveIntSetting(500),
    /**
     * How long a finished email (SENT or FAILED: its address and text) is kept after it was
     * requested; then the pruner deletes it. Default 192 hours (8 days), as the inbox.
     */
    NOTIFICATION_RETENTION_HOURS: positiveIntSetting(192),
  })
  // An email's row is what stops a repeated event from sending it again once the inbox has
  // forgotten the event: it must not be forgotten first.
  .refine((c) => c.NOTIFICATION_RETENTION_HOURS >= c.INBOX_RETENTION_HOURS, {
    path: ['NOTIFICATION_RETENTION_HOURS'],
    message: 'must be at least INBOX_RETENTION_HOURS (a finished email is what stops a redelivered event the inbox has forgotten from being sent again)',
  });

export type NotificationConfig = z.infer<typeof configSchema>;
