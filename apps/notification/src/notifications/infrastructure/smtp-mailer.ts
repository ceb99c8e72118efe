import { withoutEmailAddresses } from '@shop/platform';
import { createTransport, type Transporter } from 'nodemailer';
import type { Email } from '../domain/notification';

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  user?: string;
  password?: string;
  /** `starttls`: STARTTLS required; `tls`: TLS from the start; `none` (default): plain text, no STARTTLS tried. */
  security?: 'starttls' | 'tls' | 'none';
  /**
   * With TLS, the server's certificate is verified against this CA (PEM) alone; without it, against
   * Node's trusted CAs (plus NODE_EXTRA_CA_CERTS, how the service is given a private CA).
   */
  ca?: string;
}

/** Hands emails to an SMTP server; resolves once the server has accepted the message. */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    this.transport = createTransport({
      // One SMTP session reused for every email (reconnected when it drops), instead of a TCP
      // connection and an SMTP handshake per email: the sender sends one at a time anyway.
      pool: true,
      maxConnections: 1,
      host: options.host,
      port: options.port,
      secure: options.security === 'tls',
      requireTLS: options.security === 'starttls',
      ignoreTLS: (options.security ?? 'none') === 'none',
      tls: options.ca === undefined ? undefined : { ca: options.ca },
      auth: options.user ? { user: options.user, pass: options.password } : undefined,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    });
  }

  /** Rejects with an SmtpError (no recipient address in it) when the server refuses or cannot be reached. */
  async send(email: Email): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
      });
    } catch (error) {
      throw SmtpError.from(error);
    }
  }

  /** Resolves when the server answers: connects, reads its greeting, says EHLO (and logs in when configured). The breaker's probe. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw SmtpError.from(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Whether a failure means the SMTP server is down (every email would fail alike) rather than
 * that it refused this email: refused, timed out, a greeting that never came, a dropped socket,
 * a 4xx answer to the session (`421 service not available`) are the server's; an SMTP 5xx about
 * this email (nodemailer: a refused recipient is EENVELOPE, a refused message EMESSAGE) is the
 * email's own.
 */
export function isSmtpServerDown(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number };
  const refusedThisEmail = e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || (typeof e.responseCode === 'number' && e.responseCode >= 500);
  return !refusedThisEmail;
}

/**
 * nodemailer's errors carry the recipients (`rejected`, and often the server's `response`, e.g.
 * "550 5.1.1 <bob@example.com>: Recipient address rejected"); this one keeps what the sender
 * decides on (`code`, `responseCode`) and a message without addresses, so it can be logged,
 * stored as last_error and set as a span status.
 */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly responseCode: number | undefined,
  ) {
    super(message);
    this.name = 'SmtpError';
  }

  static from(error: unknown): SmtpError {
    const e = error as { message?: string; code?: string; responseCode?: number };
    return new SmtpError(withoutEmailAddresses(String(e.message ?? error)), e.code, e.responseCode);
  }
}
