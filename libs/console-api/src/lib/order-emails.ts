/** An email the shop sent because of an order, as the SMTP sink (Mailpit) received it. */
export interface OrderEmail {
  /** Mailpit's id of the message. */
  id: string;
  subject: string;
  to: string[];
  /** When Mailpit received it (ISO). */
  at: string;
  /** The plain-text body; null when the email has none. */
  text: string | null;
  /** The HTML body; null when the email has none. The page shows it only in a sandboxed frame. */
  html: string | null;
}

/**
 * GET /api/orders/:id/emails: the order's emails, oldest first (none yet is an empty list), or
 * `unavailable` when Mailpit cannot be asked.
 */
export type OrderEmailsResult = { state: 'found'; emails: OrderEmail[] } | { state: 'unavailable'; detail: string };
