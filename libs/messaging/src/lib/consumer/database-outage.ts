// Waiting out database outages: the consumer's database breaker, and pausing its topics while it is open.
import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { NonRetryableError } from '../errors';
import { DependencyBreaker, type BreakerSettings, type BreakerSnapshot, type BreakerTransition } from '../resilience/dependency-breaker';
import { isDatabaseUnavailable } from './database-unavailable';

/** The database breaker is open (or opened under this delivery): the delivery comes again after it closes. */
export class DeliveryPaused extends Error {}

export interface DatabaseOutageOptions {
  consumer: string;
  db: DataSource;
  settings?: Partial<BreakerSettings>;
  /** Pauses every partition of the consumer's topics. */
  pause: () => void;
  /** Resumes them. */
  resume: () => void;
  onTransition?: (transition: BreakerTransition) => void;
  logger: Logger;
}

/**
 * A failure to reach the database is not the message's: it spends no attempt and opens the
 * breaker (DependencyBreaker), which pauses every partition of the consumer's topics and probes
 * the database (`SELECT 1`); the delivery and the rest of its batch stay unresolved (DeliveryPaused),
 * so they are fetched again once the breaker lets work through. A probe that answers resumes the
 * partitions with one delivery as the trial (the others wait for it): if it reaches the database
 * the breaker closes, if not it opens again. The pause is per topic, and is applied again when the
 * consumer (re)joins its group, so a rebalance keeps it.
 */
export class DatabaseOutage {
  private readonly breaker: DependencyBreaker;

  constructor(private readonly options: DatabaseOutageOptions) {
    this.breaker = new DependencyBreaker({
      consumer: options.consumer,
      dependency: 'database',
      // A NonRetryableError is the message's, whatever it wraps.
      isDown: (error) => isDatabaseUnavailable(error) && !(error instanceof NonRetryableError),
      probe: () => options.db.query('SELECT 1'),
      settings: options.settings,
      onTransition: (transition) => this.onTransition(transition),
    });
  }

  /** Open: nothing is delivered (what is left of a batch stays unresolved). */
  get open(): boolean {
    return this.breaker.state === 'open';
  }

  /** How many deliveries may share a transaction: `limit` while closed; half-open, one delivery is the trial, not a transaction of a hundred. */
  runLimit(limit: number): number {
    return this.breaker.state === 'closed' ? limit : 1;
  }

  snapshot(): BreakerSnapshot {
    return this.breaker.snapshot();
  }

  /** Before a transaction: throws DeliveryPaused unless the breaker lets work through (half-open, after the trial's verdict). */
  async admit(): Promise<void> {
    if (!(await this.breaker.admit())) throw new DeliveryPaused();
  }

  /** A transaction reached the database: a half-open breaker closes. */
  answered(): void {
    this.breaker.answered();
  }

  /** After a failed attempt: throws DeliveryPaused when the database could not be reached (the attempt does not count). */
  failed(envelope: Envelope, error: unknown): void {
    if (this.breaker.failed(error)) {
      this.options.logger.warn({ messageId: envelope.id, type: envelope.type, err: String(error) }, 'database unavailable; the message comes again once it answers (no attempt spent)');
      throw new DeliveryPaused();
    }
  }

  /** At each group join: a rebalance, or kafkajs restarting the consumer after a crash (a new member with no pause state), must not resume fetching while open. */
  joined(): void {
    if (this.breaker.state === 'open') this.options.pause();
  }

  start(): void {
    this.breaker.start();
  }

  stop(): void {
    this.breaker.stop();
  }

  /** Open: pause every partition of the consumer's topics; leaving open (half-open): resume them. */
  private onTransition(transition: BreakerTransition): void {
    if (transition.to === 'open') this.options.pause();
    else if (transition.from === 'open') this.options.resume();
    this.options.onTransition?.(transition);
  }
}
