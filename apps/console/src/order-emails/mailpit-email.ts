import type { OrderEmail } from '@shop/console-api';

/** A message of Mailpit's `GET /api/v1/search` answer; only what the console reads. */
export interface MailpitSummary {
  ID: string;
  MessageID: string;
  Subject: string;
  To: Array<{ Name: string; Address: string }> | null;
  /** When Mailpit received it (RFC 3339). */
  Created: string;
}

/** Mailpit's `GET /api/v1/message/{ID}`: the message with its bodies (empty strings when absent). */
export interface MailpitMessage {
  ID: string;
  Text: string;
  HTML: string;
}

/**
 * The notification service names each email after its order and kind: Message-ID
 * `<order-id.kind@domain>` (apps/notification), so Mailpit's `message-id:` filter finds an
 * order's emails and nobody else's (an order id is a UUID).
 */
export const orderEmailsQuery = (orderId: string): string => `message-id:${orderId}`;

/** One email as the page shows it: its summary with the bodies of the full message. */
export function toOrderEmail(summary: MailpitSummary, message: MailpitMessage): OrderEmail {
  return {
    id: summary.ID,
    subject: summary.Subject,
    to: (summary.To ?? []).map((a) => a.Address),
    at: new Date(summary.Created).toISOString(),
    text: message.Text === '' ? null : message.Text,
    html: message.HTML === '' ? null : message.HTML,
  };
}
