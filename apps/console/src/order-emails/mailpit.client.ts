import { Inject, Injectable } from '@nestjs/common';
import type { OrderEmailsResult } from '@shop/console-api';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { fetchFailure } from '../fetch-failure';
import { orderEmailsQuery, toOrderEmail, type MailpitMessage, type MailpitSummary } from './mailpit-email';

/** An order gets at most one email per kind (confirmed, rejected, cancelled, shipped, delivered). */
const MAX_EMAILS = 20;

/** Mailpit's API (the local SMTP sink), asked for the emails an order caused. */
@Injectable()
export class MailpitClient {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  /** The order's emails, oldest first, with their bodies; `unavailable` (with why) when Mailpit cannot be asked. */
  async orderEmails(orderId: string): Promise<OrderEmailsResult> {
    try {
      const params = new URLSearchParams({ query: orderEmailsQuery(orderId), limit: String(MAX_EMAILS) });
      const found = await this.get<{ messages: MailpitSummary[] | null }>(`/api/v1/search?${params}`);
      // Mailpit answers newest first; the page reads an order's story from the top.
      const summaries = [...(found.messages ?? [])].reverse();
      const messages = await Promise.all(summaries.map((s) => this.get<MailpitMessage>(`/api/v1/message/${encodeURIComponent(s.ID)}`)));
      return { state: 'found', emails: summaries.map((s, i) => toOrderEmail(s, messages[i])) };
    } catch (error) {
      return { state: 'unavailable', detail: error instanceof MailpitError ? error.message : `Mailpit does not answer at ${this.config.MAILPIT_URL}: ${fetchFailure(error)}` };
    }
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.config.MAILPIT_URL}${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new MailpitError(`Mailpit answered ${res.status} to GET ${path.split('?')[0]} at ${this.config.MAILPIT_URL}`);
    return (await res.json()) as T;
  }
}

class MailpitError extends Error {}
