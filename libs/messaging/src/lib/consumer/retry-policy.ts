// The consumer's retry policy: which failures end a message's tries, and the wait before the next.
import type { Logger } from '@nestjs/common';
import type { Envelope } from '../envelope/envelope';
import { NonRetryableError, PoisonMessageError } from '../errors';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from '../resilience/backoff';

/**
 * A failing handler is tried `attempts` times in all, with exponential backoff and full jitter
 * between the tries; poison and NonRetryableError are final at once. (A database outage is no
 * failure of the message's and never reaches here: DatabaseOutage.)
 */
export class Retries {
  private readonly policy: RetryPolicy;

  constructor(
    policy: RetryPolicy | undefined,
    private readonly logger: Logger,
  ) {
    this.policy = policy ?? DEFAULT_RETRY;
  }

  /** Whether `attempt` failing with `error` was the message's last try: it is dead-lettered. */
  isFinal(error: unknown, attempt: number): boolean {
    return error instanceof NonRetryableError || error instanceof PoisonMessageError || attempt >= this.policy.attempts;
  }

  /** Says that `attempt` failed and waits out its backoff before the next. */
  async beforeNextAttempt(envelope: Envelope, error: unknown, attempt: number): Promise<void> {
    this.logger.warn({ messageId: envelope.id, type: envelope.type, attempt, err: String(error) }, 'handler failed; retrying');
    await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.policy)));
  }
}
