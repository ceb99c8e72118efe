import { createTransport, type Transporter } from 'nodemailer';
import type { Email } from '../domain/notification';

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  user?: string;
  password?: string;
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
      secure: false,
      auth: options.user ? { user: options.user, pass: options.password } : undefined,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    });
  }

  async send(email: Email): Promise<void> {
    await this.transport.sendMail({
      from: this.options.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: email.messageId,
    });
  }

  close(): void {
    this.transport.close();
  }
}
