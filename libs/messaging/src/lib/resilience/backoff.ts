/**
 * The one exponential backoff: the consumer's retries, the breakers' probes, the outbox relay's
 * reconnects and the platform's row retries all wait `baseMs` doubled per failure, at most `maxMs`.
 */

/** How a consumer tries a message: how many times, and the backoff between the tries. */
export interface RetryPolicy {
  /** Total tries, the first included. Keep it small: a failing message holds up its partition meanwhile. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 100, maxMs: 2000 };

/**
 * The wait after the `failures`-th failure: min(max, base * 2^(failures-1)). The exponent stops
 * at 30, beyond which any realistic `maxMs` is reached anyway, so a zero base stays zero rather
 * than 0 * Infinity.
 */
export function exponentialDelay(failures: number, { baseMs, maxMs }: Pick<RetryPolicy, 'baseMs' | 'maxMs'>): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

/** Exponential backoff with full jitter: a random wait in [0, exponentialDelay(attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * exponentialDelay(attempt, policy));
}
