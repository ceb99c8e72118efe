import pino from 'pino';
import { Writable } from 'node:stream';
import { PERSONAL_DATA_LOG_PATHS, REDACTED, withoutEmailAddresses } from './personal-data';

describe('personal data stays out of logs', () => {
  it.each([
    ['550 5.1.1 <bob.smith@example.com>: Recipient address rejected', `550 5.1.1 <${REDACTED}>: Recipient address rejected`],
    ["Can't send mail - all recipients were rejected: 550 mailbox unavailable", "Can't send mail - all recipients were rejected: 550 mailbox unavailable"],
    ['to a+b@mail.example.co.uk and c@d.io', `to ${REDACTED} and ${REDACTED}`],
  ])('withoutEmailAddresses(%j)', (text, expected) => {
    expect(withoutEmailAddresses(text)).toBe(expected);
  });

  it('pino with the redaction paths censors the fields at the top level and one level down', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const log = pino({ redact: { paths: PERSONAL_DATA_LOG_PATHS, censor: REDACTED } }, sink);
    log.info({ orderId: 'o-1', customerEmail: 'alice@example.com', order: { customerName: 'Alice Example', shippingAddress: { street: '1 Main Street' } } }, 'placed');
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ orderId: 'o-1', customerEmail: REDACTED, order: { customerName: REDACTED, shippingAddress: REDACTED } });
    expect(lines[0]).not.toMatch(/alice@example\.com|Alice Example|Main Street/);
  });
});
