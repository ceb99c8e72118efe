import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WorkerRuntime } from './worker-runtime';

/**
 * What one pass did: how many items it handled (counted in `shop_worker_items_total`) and
 * whether more may be waiting (a full batch): then the next pass runs at once instead of after
 * the interval. A plain number is `{ handled, more: false }`.
 */
export type WorkResult = number | { handled: number; more?: boolean };

export interface WorkerSettings {
  /** Names the worker in logs, in the `worker` metric label and in the SchedulerRegistry (`worker:<name>`); unique in an application. */
  name: string;
  /** The pause between the end of one pass and the start of the next. */
  intervalMs: number;
}

/**
 * The one background loop of the services (the shipping clock, the notification sender, the
 * order's deadline watcher): a subclass says what one pass does (`work()`); this class runs it.
 * - Passes never overlap: the next one is scheduled when the previous one has ended, after
 *   `intervalMs`, or at once when it reported `more`.
 * - A pass that throws is logged (`{ err }`) and counted (`outcome="failed"`), and the loop goes on
 *   at the next interval; a pass is never retried at once.
 * - Lifecycle, the same for every worker: a worker is a Nest provider, started by Nest in
 *   `onApplicationBootstrap` (first pass at once) and stopped in `onApplicationShutdown`: no
 *   new pass starts, and the one in flight is awaited. Application modules shut down before
 *   the global ones, so the pass still has its database connection. Subclasses do not override
 *   these hooks; they may extend `stop()` to release what they own (call `super.stop()` first).
 *
 * Timing goes through @nestjs/schedule's `SchedulerRegistry`, as one named timeout per pending
 * pass rather than `@Interval`/`addInterval`: an interval fires on its own clock (passes would
 * overlap, or need a guard that skips them) and cannot run again at once after a full batch.
 * A named timeout keeps the pending pass visible by name and lets @nestjs/schedule clear it
 * when shutdown begins.
 *
 * Without a `WorkerRuntime` (tests, scripts) a worker uses a private one
 * (`WorkerRuntime.standalone()`); in a service, pass the one `PlatformModule` provides.
 */
export abstract class BackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  // #private: subclasses keep every ordinary name for themselves.
  readonly #settings: WorkerSettings;
  readonly #runtime: WorkerRuntime;
  readonly #timerName: string;
  #started = false;
  #running?: Promise<void>;

  protected constructor(settings: WorkerSettings, runtime?: WorkerRuntime) {
    this.#settings = settings;
    this.#runtime = runtime ?? WorkerRuntime.standalone();
    this.#runtime.register(settings.name);
    this.#timerName = `worker:${settings.name}`;
    // Zero-valued series from the start, so rate() and "any failure?" queries see the worker.
    this.#runtime.runs.inc({ worker: settings.name, outcome: 'ok' }, 0);
    this.#runtime.runs.inc({ worker: settings.name, outcome: 'failed' }, 0);
    this.#runtime.items.inc({ worker: settings.name }, 0);
  }

  /** One pass: handle what is due. Throwing counts as a failed pass; the loop goes on. */
  protected abstract work(): Promise<WorkResult>;

  /** Starts the loop; the first pass runs at once (on a timer, not inside this call). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (!this.#running) this.#schedule(0); // else the pass in flight schedules the next one
  }

  /** Graceful stop: no new pass starts, and the one in flight (if any) is awaited. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#cancelTimer();
    await this.#running;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer();
    this.#runtime.scheduler.addTimeout(this.#timerName, setTimeout(() => this.#fire(), delayMs));
  }

  #cancelTimer(): void {
    if (this.#runtime.scheduler.doesExist('timeout', this.#timerName)) this.#runtime.scheduler.deleteTimeout(this.#timerName);
  }

  #fire(): void {
    this.#cancelTimer(); // it has fired; forget it
    this.#running = this.#pass().then((more) => {
      this.#running = undefined;
      if (this.#started) this.#schedule(more ? 0 : this.#settings.intervalMs);
    });
  }

  /** Runs `work()` once, measured and counted; never throws. Resolves to whether more is waiting. */
  async #pass(): Promise<boolean> {
    const worker = this.#settings.name;
    const endTimer = this.#runtime.duration.startTimer({ worker });
    try {
      const result = await this.work();
      const { handled, more = false } = typeof result === 'number' ? { handled: result } : result;
      this.#runtime.runs.inc({ worker, outcome: 'ok' });
      this.#runtime.items.inc({ worker }, handled);
      this.#runtime.lastSuccess.set({ worker }, Date.now() / 1000);
      return more;
    } catch (error) {
      this.#runtime.runs.inc({ worker, outcome: 'failed' });
      this.logger.error({ err: error, worker }, `${worker} failed; trying again in ${this.#settings.intervalMs} ms`);
      return false;
    } finally {
      endTimer();
    }
  }
}
