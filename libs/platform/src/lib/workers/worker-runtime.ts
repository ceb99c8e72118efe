import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the background workers of one application share (provided by `PlatformModule`): Nest's
 * `SchedulerRegistry`, where each worker keeps its pending timer under `worker:<name>` (so the
 * timers are visible by name, and @nestjs/schedule clears them when shutdown begins), and the
 * worker metrics on the application's `Registry`, labelled by worker name:
 * - `shop_worker_runs_total{worker,outcome}`: passes, `outcome` is `ok` or `failed`;
 * - `shop_worker_items_total{worker}`: items the passes handled (what each worker counts);
 * - `shop_worker_run_duration_seconds{worker}`: how long a pass took, failed ones included;
 * - `shop_worker_last_success_timestamp_seconds{worker}`: when the last pass succeeded (absent
 *   until one has), so an alert can tell a worker that has stopped succeeding.
 */
@Injectable()
export class WorkerRuntime {
  readonly runs: Counter<'worker' | 'outcome'>;
  readonly items: Counter<'worker'>;
  readonly duration: Histogram<'worker'>;
  readonly lastSuccess: Gauge<'worker'>;
  private readonly names = new Set<string>();

  constructor(
    readonly scheduler: SchedulerRegistry,
    registry: Registry,
  ) {
    this.runs = new Counter({ name: 'shop_worker_runs_total', help: 'Background worker passes by outcome (ok, failed)', labelNames: ['worker', 'outcome'], registers: [registry] });
    this.items = new Counter({ name: 'shop_worker_items_total', help: 'Items handled by background worker passes', labelNames: ['worker'], registers: [registry] });
    this.duration = new Histogram({
      name: 'shop_worker_run_duration_seconds',
      help: 'Duration of background worker passes, failed ones included',
      labelNames: ['worker'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.lastSuccess = new Gauge({
      name: 'shop_worker_last_success_timestamp_seconds',
      help: 'Unix time of the last successful pass of a background worker',
      labelNames: ['worker'],
      registers: [registry],
    });
  }

  /** Reserves a worker's name: two workers of one application under one name would share timer and metrics. */
  register(name: string): void {
    if (this.names.has(name)) throw new Error(`a background worker named "${name}" already exists in this application`);
    this.names.add(name);
  }

  /** For a worker used outside Nest (tests, scripts): its own scheduler registry, metrics on a private Registry. */
  static standalone(): WorkerRuntime {
    return new WorkerRuntime(new SchedulerRegistry(), new Registry());
  }
}
