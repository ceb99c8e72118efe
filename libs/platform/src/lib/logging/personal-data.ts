/**
 * Personal data (a customer's email, name and postal address) stays out of logs and span
 * attributes (SPEC: "No PII in logs or span attributes"). Two guards:
 * - PERSONAL_DATA_LOG_PATHS: pino redacts these fields wherever a log line carries them as data
 *   (top level or one level down, e.g. `{ order: { customerEmail } }`);
 * - withoutEmailAddresses: for free text that may quote an address, such as an SMTP server's
 *   refusal ("550 5.1.1 <bob@example.com>: Recipient address rejected"), before it is logged,
 *   stored as a span status or kept as an error message.
 */
// The shop's own names for personal data (contracts and entities); generic keys such as `name`
// or `address` would censor unrelated fields (an error's name, a broker's address).
const FIELDS = ['customerEmail', 'customerName', 'email', 'recipient', 'shippingAddress'];

export const PERSONAL_DATA_LOG_PATHS = [...FIELDS, ...FIELDS.map((f) => `*.${f}`)];

export const REDACTED = '[redacted]';

const EMAIL_ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** The text with every email address in it replaced by `[redacted]`. */
export function withoutEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, REDACTED);
}
