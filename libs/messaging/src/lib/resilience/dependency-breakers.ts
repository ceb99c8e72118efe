import { Injectable } from '@nestjs/common';
import type { BreakerSnapshot, BreakerTransition } from './dependency-breaker';

/** One breaker as metrics and health see it: whose it is, and its snapshot. */
export interface BreakerReading extends BreakerSnapshot {
  /** The consumer group (or worker) the breaker belongs to. */
  consumer: string;
}

/**
 * The service's dependency breakers, wherever they live (the consumer's database breaker, a
 * worker's own: notification's SMTP sender), in one place for the metrics and /health/ready:
 * each owner registers how to read its breakers and reports their transitions here.
 */
@Injectable()
export class DependencyBreakers {
  private readonly sources: Array<() => BreakerReading[]> = [];
  private readonly listeners: Array<(transition: BreakerTransition) => void> = [];

  /** `source` is read at each scrape and health check. */
  register(source: () => BreakerReading[]): void {
    this.sources.push(source);
  }

  readings(): BreakerReading[] {
    return this.sources.flatMap((source) => source());
  }

  /** An owner reports a change of state (pass it as the breaker's `onTransition`). */
  transitioned(transition: BreakerTransition): void {
    for (const listener of this.listeners) listener(transition);
  }

  onTransition(listener: (transition: BreakerTransition) => void): void {
    this.listeners.push(listener);
  }
}
