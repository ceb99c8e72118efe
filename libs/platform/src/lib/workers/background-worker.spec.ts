import { Logger } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { BackgroundWorker, type WorkResult } from './background-worker';
import { WorkerRuntime } from './worker-runtime';

/** A pass that ends when the test says so. */
interface Gate {
  open: () => void;
  fail: (error: Error) => void;
}

class TestWorker extends BackgroundWorker {
  constructor(
    private readonly onePass: () => Promise<WorkResult>,
    runtime: WorkerRuntime,
    intervalMs = 1000,
  ) {
    super({ name: 'test', intervalMs }, runtime);
  }

  protected override work(): Promise<WorkResult> {
    return this.onePass();
  }
}

/** A work() whose passes each wait for their gate; counts passes and the most ever in flight at once. */
function gatedWork(handled = 1) {
  const gates: Gate[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const work = () =>
    new Promise<WorkResult>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = () => (inFlight -= 1);
      gates.push({ open: () => (done(), resolve(handled)), fail: (error) => (done(), reject(error)) });
    });
  return { work, gates, maxInFlight: () => maxInFlight };
}

const NOW = new Date('2026-01-01T00:00:00Z');
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('BackgroundWorker', () => {
  let registry: Registry;
  let runtime: WorkerRuntime;
  let errors: jest.SpyInstance;

  /** The value of one series as /metrics shows it (`name` may be a histogram's `_sum` or `_count`); undefined when absent. */
  async function metric(name: string, labels: Record<string, string> = { worker: 'test' }): Promise<number | undefined> {
    const family = name.replace(/_(sum|count)$/, '');
    const found = (await registry.getSingleMetric(registry.getSingleMetric(name) ? name : family)?.get())?.values as
      | Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>
      | undefined;
    const entry = found?.find((v) => (v.metricName ?? name) === name && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
    return entry?.value;
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'queueMicrotask'] });
    registry = new Registry();
    runtime = new WorkerRuntime(new SchedulerRegistry(), registry);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    errors.mockRestore();
  });

  it('runs the first pass at once, then the next an interval after the previous one ended, never two at once', async () => {
    const { work, gates, maxInFlight } = gatedWork();
    const worker = new TestWorker(work, runtime, 1000);
    worker.start();
    expect(gates).toHaveLength(0); // not inside start()
    await advance(0);
    expect(gates).toHaveLength(1);

    await advance(10_000); // a slow pass: ten intervals go by without a second pass
    expect(gates).toHaveLength(1);
    gates[0].open();
    await advance(999);
    expect(gates).toHaveLength(1);
    await advance(1);
    expect(gates).toHaveLength(2);
    expect(maxInFlight()).toBe(1);

    gates[1].open();
    await worker.stop();
  });

  it('stop() awaits the pass in flight, and no pass starts afterwards', async () => {
    const { work, gates } = gatedWork();
    const worker = new TestWorker(work, runtime, 1000);
    worker.start();
    await advance(0);
    expect(gates).toHaveLength(1);

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await advance(5_000);
    expect(stopped).toBe(false);
    gates[0].open();
    await stopping;
    expect(stopped).toBe(true);
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'ok' })).toBe(1); // it finished, and counted

    await advance(60_000);
    expect(gates).toHaveLength(1);
    expect(runtime.scheduler.getTimeouts()).toEqual([]);
  });

  it('stopped before its first pass, it never runs', async () => {
    const work = jest.fn().mockResolvedValue(0);
    const worker = new TestWorker(work, runtime);
    worker.start();
    await worker.stop();
    await advance(60_000);
    expect(work).not.toHaveBeenCalled();
  });

  it('counts and logs a failed pass, and goes on at the next interval', async () => {
    const failure = new Error('database unreachable');
    const work = jest.fn<Promise<WorkResult>, []>().mockRejectedValueOnce(failure).mockResolvedValue(2);
    const worker = new TestWorker(work, runtime, 1000);
    worker.start();
    await advance(0);
    expect(work).toHaveBeenCalledTimes(1);
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'failed' })).toBe(1);
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'ok' })).toBe(0);
    expect(errors).toHaveBeenCalledWith({ err: failure, worker: 'test' }, 'test failed; trying again in 1000 ms');

    await advance(999); // not retried at once
    expect(work).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(work).toHaveBeenCalledTimes(2);
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'ok' })).toBe(1);
    expect(await metric('shop_worker_items_total')).toBe(2);
    await worker.stop();
  });

  it('runs again at once while a pass reports more, then waits the interval', async () => {
    const work = jest
      .fn<Promise<WorkResult>, []>()
      .mockResolvedValueOnce({ handled: 50, more: true })
      .mockResolvedValueOnce({ handled: 50, more: true })
      .mockResolvedValueOnce({ handled: 3, more: false })
      .mockResolvedValue(0);
    const worker = new TestWorker(work, runtime, 1000);
    worker.start();
    // Each successor is a 0 ms timer (1 ms, as Node and the fake clock count it), far within the interval.
    await advance(10);
    expect(work).toHaveBeenCalledTimes(3);
    expect(await metric('shop_worker_items_total')).toBe(103);
    await advance(900);
    expect(work).toHaveBeenCalledTimes(3);
    await advance(200);
    expect(work).toHaveBeenCalledTimes(4);
    await worker.stop();
  });

  it('measures passes: runs by outcome, items, duration and the time of the last success', async () => {
    const { work, gates } = gatedWork(7);
    const worker = new TestWorker(work, runtime, 1000);
    // Every series exists from the start, at zero.
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'failed' })).toBe(0);
    expect(await metric('shop_worker_items_total')).toBe(0);
    expect(await metric('shop_worker_last_success_timestamp_seconds')).toBeUndefined();

    worker.start();
    await advance(0);
    await advance(2_500); // the first pass takes 2.5 s
    gates[0].open();
    await advance(1_000);
    gates[1].fail(new Error('smtp down')); // the second fails at once
    await worker.stop();

    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'ok' })).toBe(1);
    expect(await metric('shop_worker_runs_total', { worker: 'test', outcome: 'failed' })).toBe(1);
    expect(await metric('shop_worker_items_total')).toBe(7);
    expect(await metric('shop_worker_run_duration_seconds_count')).toBe(2);
    expect(await metric('shop_worker_run_duration_seconds_sum')).toBeCloseTo(2.5, 3);
    expect(await metric('shop_worker_last_success_timestamp_seconds')).toBe(NOW.getTime() / 1000 + 2.5);
  });

  it('refuses a second worker under the same name in one application', () => {
    new TestWorker(jest.fn(), runtime);
    expect(() => new TestWorker(jest.fn(), runtime)).toThrow('a background worker named "test" already exists in this application');
  });

  it('as a Nest provider: started at bootstrap (its timer named in the SchedulerRegistry), stopped at shutdown after the pass in flight', async () => {
    const { work, gates } = gatedWork();
    const app = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [
        { provide: Registry, useValue: new Registry() },
        WorkerRuntime,
        { provide: TestWorker, inject: [WorkerRuntime], useFactory: (workers: WorkerRuntime) => new TestWorker(work, workers, 1000) },
      ],
    }).compile();
    await app.init();
    const scheduler = app.get(SchedulerRegistry);
    expect(scheduler.getTimeouts()).toEqual(['worker:test']);
    await advance(0);
    expect(gates).toHaveLength(1);
    gates[0].open();
    await advance(0);
    expect(scheduler.getTimeouts()).toEqual(['worker:test']); // waiting for the next pass
    await advance(1000);
    expect(gates).toHaveLength(2);

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await advance(5_000);
    expect(closed).toBe(false); // shutdown waits for the pass in flight
    gates[1].open();
    await closing;
    await advance(60_000);
    expect(gates).toHaveLength(2);
    expect(scheduler.getTimeouts()).toEqual([]);
  });
});
