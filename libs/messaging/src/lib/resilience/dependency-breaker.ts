import { Logger } from '@nestjs/common';
import { exponentialDelay } from './backoff';

/**
 * A circuit breaker for a dependency everything a worker does needs (a consumer's database,
 * notification's SMTP server), written here rather than taken from a library:
 * - opossum 10 (CommonJS) wraps calls: it opens on an error rate over a rolling window, rejects
 *   calls while open, and goes half-open after a fixed `resetTimeout` to let the next call try.
 *   Here one failure that means "the dependency is down" must open it, nothing is called while
 *   it is open (the Kafka partitions are paused instead), and it must ask the dependency itself
 *   (a probe) on a growing schedule; opossum has neither an active probe that closes it nor a
 *   backoff, so it would be a state field and an event emitter around this code.
 * - cockatiel 4 has the backoff and the states, but it is ESM-only, and Jest here runs CommonJS.
 *
 * The states and what moves between them are one table (BREAKER_TRANSITIONS), read by the class.
 */
export type BreakerState = 'closed' | 'half_open' | 'open';

/**
 * - `down`: a failure the classifier says means the dependency is unreachable;
 * - `probe_answered`: the probe succeeded while open;
 * - `answered`: work reached the dependency (it succeeded, or failed for its own reason);
 * - `trial_window_passed`: half-open for `trialWindowMs` without a verdict (nothing was waiting
 *   to try it with, or the trial is slow): the probe answered, so it closes.
 * A failed probe leaves it open (the next probe comes later).
 */
export type BreakerEvent = 'down' | 'probe_answered' | 'answered' | 'trial_window_passed';

/** Each state's next state on each event; an event a state does not list changes nothing. */
export const BREAKER_TRANSITIONS: Readonly<Record<BreakerState, Readonly<Partial<Record<BreakerEvent, BreakerState>>>>> = {
  closed: { down: 'open' },
  open: { probe_answered: 'half_open' },
  half_open: { down: 'open', answered: 'closed', trial_window_passed: 'closed' },
};

/** The value of a state in `shop_consumer_breaker_state`. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, half_open: 1, open: 2 };

export interface BreakerSettings {
  /** The first probe comes this long after opening; each failed probe doubles the wait (default 500 ms). */
  probeBaseMs: number;
  /** The wait between probes grows up to this (default 5000 ms). */
  probeMaxMs: number;
  /** A probe that has not answered after this long failed (default 2000 ms). */
  probeTimeoutMs: number;
  /** Half-open closes after this long without a verdict from the trial (default 5000 ms). */
  trialWindowMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { probeBaseMs: 500, probeMaxMs: 5000, probeTimeoutMs: 2000, trialWindowMs: 5000 };

export interface BreakerTransition {
  /** Whose breaker: the consumer group (or the worker) that depends on it. */
  consumer: string;
  dependency: string;
  from: BreakerState;
  to: BreakerState;
  event: BreakerEvent;
  /** The failure that opened it (`down`), else undefined. */
  error?: string;
}

export interface DependencyBreakerOptions {
  consumer: string;
  /** The dependency's name in metrics, logs and health (`database`, `smtp`). */
  dependency: string;
  /** True when a failure means the dependency is down, not that the work at hand is at fault. */
  isDown: (error: unknown) => boolean;
  /** Asks the dependency whether it answers (`SELECT 1`, an SMTP connection check); rejects when it does not. */
  probe: () => Promise<unknown>;
  settings?: Partial<BreakerSettings>;
  /** Called on every change of state, after the state changed. */
  onTransition?: (transition: BreakerTransition) => void;
}

/** What health reports. */
export interface BreakerSnapshot {
  dependency: string;
  state: BreakerState;
  /** When the breaker entered its state (ISO 8601). */
  since: string;
  /** While not closed: the failure that opened it, or the last failed probe's. */
  lastError?: string;
}

/**
 * One dependency's breaker. Closed, work runs. A failure that `isDown` recognises opens it (one
 * is enough: a refused connection fails everything alike); while open, the owner does no work
 * (the consumer pauses its partitions, the sender claims no emails) and the breaker probes the
 * dependency, the first probe after `probeBaseMs`, then doubling up to `probeMaxMs`. A probe that
 * answers makes it half-open: `admit()` lets one caller through (the trial) and holds the others
 * until the trial's verdict: `answered()` closes it, `failed()` with a down error opens it again.
 * Other failures are the work's own and change nothing (they keep their retries and dead letters).
 */
export class DependencyBreaker {
  private current: BreakerState = 'closed';
  private since = new Date();
  private lastError?: string;
  private probes = 0;
  private trialTaken = false;
  private probeTimer?: NodeJS.Timeout;
  private trialTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly settings: BreakerSettings;
  private readonly logger: Logger;
  /** Callers of admit() held in half-open until the trial's verdict. */
  private waiting: Array<(admitted: boolean) => void> = [];

  constructor(private readonly options: DependencyBreakerOptions) {
    this.settings = { ...DEFAULT_BREAKER_SETTINGS, ...options.settings };
    this.logger = new Logger(`Breaker:${options.consumer}:${options.dependency}`);
  }

  get state(): BreakerState {
    return this.current;
  }

  get dependency(): string {
    return this.options.dependency;
  }

  snapshot(): BreakerSnapshot {
    return {
      dependency: this.options.dependency,
      state: this.current,
      since: this.since.toISOString(),
      ...(this.current !== 'closed' && this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Whether the caller may use the dependency now: closed yes, open no; half-open, the first
   * caller is the trial (yes), the others wait for its verdict (yes once closed, no if it opened again).
   */
  admit(): Promise<boolean> {
    if (this.current === 'half_open' && this.trialTaken && !this.stopped) return new Promise((resolve) => this.waiting.push(resolve));
    return Promise.resolve(this.admitNow());
  }

  /** admit() without waiting: half-open with the trial taken says no (a poller tries again at its next pass). */
  admitNow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open' || this.stopped || this.trialTaken) return false;
    this.trialTaken = true;
    return true;
  }

  /**
   * Reports a failure. True when it means the dependency is down: the breaker is (now) open and
   * the caller stops and leaves its work to be done again after it closes. False when the failure
   * is the work's own: the dependency answered, which is a verdict for a half-open breaker.
   */
  failed(error: unknown): boolean {
    if (!this.options.isDown(error)) {
      this.fire('answered');
      return false;
    }
    this.lastError = describe(error);
    this.fire('down');
    return true;
  }

  /** Reports work that reached the dependency: a half-open breaker closes. */
  answered(): void {
    this.fire('answered');
  }

  /** Probing again after stop() (a restarted consumer), if the breaker is not closed. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.current === 'open') this.scheduleProbe();
    else if (this.current === 'half_open') this.trialTimer = setTimeout(() => this.fire('trial_window_passed'), this.settings.trialWindowMs);
  }

  /** Stops probing and releases the callers held in half-open (they are not admitted); the state stays. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    clearTimeout(this.trialTimer);
    this.release(false);
  }

  private fire(event: BreakerEvent): void {
    const from = this.current;
    const to = BREAKER_TRANSITIONS[from][event];
    if (to === undefined || this.stopped) return;
    this.current = to;
    this.since = new Date();
    clearTimeout(this.trialTimer);
    this.trialTaken = false;
    if (to === 'open') {
      this.release(false);
      this.scheduleProbe();
    } else if (to === 'half_open') {
      this.trialTimer = setTimeout(() => this.fire('trial_window_passed'), this.settings.trialWindowMs);
    } else {
      this.probes = 0;
      this.release(true);
    }
    this.log(from, to, event);
    this.options.onTransition?.({ consumer: this.options.consumer, dependency: this.options.dependency, from, to, event, ...(event === 'down' ? { error: this.lastError } : {}) });
  }

  private log(from: BreakerState, to: BreakerState, event: BreakerEvent): void {
    const fields = { consumer: this.options.consumer, dependency: this.options.dependency, from, to, event };
    if (to === 'open') {
      const after = from === 'half_open' ? 'failed again after a probe answered' : 'is down';
      this.logger.warn({ ...fields, err: this.lastError }, `breaker open: ${this.options.dependency} ${after}; paused, probing it`);
    } else if (to === 'half_open') {
      this.logger.log({ ...fields, probes: this.probes }, `breaker half-open: ${this.options.dependency} answered a probe; one delivery tries it`);
    } else {
      this.logger.log(fields, `breaker closed: ${this.options.dependency} is back; resumed`);
    }
  }

  /** The wait before the next probe: probeBaseMs doubled per probe already failed, at most probeMaxMs. */
  private probeDelay(): number {
    return exponentialDelay(this.probes + 1, { baseMs: this.settings.probeBaseMs, maxMs: this.settings.probeMaxMs });
  }

  private scheduleProbe(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => void this.probe(), this.probeDelay());
  }

  private async probe(): Promise<void> {
    if (this.current !== 'open' || this.stopped) return;
    this.probes++;
    try {
      await withTimeout(this.options.probe(), this.settings.probeTimeoutMs);
    } catch (error) {
      this.lastError = describe(error);
      if (this.current === 'open' && !this.stopped) this.scheduleProbe();
      return;
    }
    this.fire('probe_answered');
  }

  private release(admitted: boolean): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(admitted);
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
