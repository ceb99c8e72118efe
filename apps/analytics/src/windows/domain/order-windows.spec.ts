import { OrderWindows, reasonCode, WINDOW_MS, windowStart, type OrderFact, type OrderWindow } from './order-windows';

const GRACE = 30_000;
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const at = (time: string) => Date.parse(`2026-12-07T${time}Z`);
const confirmed = (partition: number, time: string, amountCents = 100, currency = 'EUR'): OrderFact => ({ kind: 'confirmed', partition, at: at(time), currency, amountCents });
const rejected = (partition: number, time: string, reason = 'OUT_OF_STOCK'): OrderFact => ({ kind: 'rejected', partition, at: at(time), reason });

/** Applies and accepts each batch, as the processor does after each commit. */
function run(windows: OrderWindows, ...batches: OrderFact[][]): OrderWindows {
  for (const batch of batches) windows.accept(windows.apply(batch));
  return windows;
}

const all = (windows: OrderWindows) => windows.between(-Infinity, Infinity);
const window = (windows: OrderWindows, time: string) => all(windows).find((w) => w.start === windowStart(at(time)));

describe('OrderWindows: assignment by event time', () => {
  it('puts an event in the minute that holds its time, [start, end)', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [confirmed(0, '12:34:56.789'), confirmed(0, '12:35:00.000')]);
    expect(all(windows).map((w) => [new Date(w.start).toISOString(), new Date(w.end).toISOString(), w.confirmed])).toEqual([
      ['2026-12-07T12:34:00.000Z', '2026-12-07T12:35:00.000Z', 1],
      ['2026-12-07T12:35:00.000Z', '2026-12-07T12:36:00.000Z', 1],
    ]);
    expect(WINDOW_MS).toBe(60_000);
  });

  it('sums revenue per currency and counts confirmed orders, and rejected ones per reason', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [
      confirmed(0, '12:00:01', 1250, 'EUR'),
      confirmed(0, '12:00:02', 999, 'USD'),
      confirmed(0, '12:00:03', 50, 'EUR'),
      rejected(0, '12:00:04', 'OUT_OF_STOCK'),
      rejected(0, '12:00:05', 'CARD_DECLINED'),
      rejected(0, '12:00:06', 'OUT_OF_STOCK'),
    ]);
    expect(window(windows, '12:00:00')).toEqual({
      start: T0,
      end: T0 + WINDOW_MS,
      revenue: { EUR: 1300, USD: 999 },
      confirmed: 3,
      rejected: { OUT_OF_STOCK: 2, CARD_DECLINED: 1 },
      tooLate: 0,
      final: false,
    });
  });
});

describe('OrderWindows: out of order, grace, too late', () => {
  it('takes an out-of-order event into its window while the window is within the grace period', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [confirmed(0, '12:01:10', 500)], [confirmed(0, '12:00:50', 300)]);
    expect(window(windows, '12:00:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 300 }, tooLate: 0 });
    expect(window(windows, '12:01:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 500 }, tooLate: 0 });
  });

  it('counts an event as too late once stream time reached its window end plus the grace: in tooLate only, never in the sums', () => {
    const windows = run(
      new OrderWindows({ graceMs: GRACE, partitions: 1 }),
      [confirmed(0, '12:00:20', 700)],
      [confirmed(0, '12:01:30', 100)], // stream time = 12:01:30 = end of 12:00 + 30 s
      [confirmed(0, '12:00:59.999', 300), rejected(0, '12:00:10')],
    );
    expect(window(windows, '12:00:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 700 }, rejected: {}, tooLate: 2, final: true });
  });

  it('draws the line at exactly end + grace: one millisecond before it the event still counts', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [confirmed(0, '12:01:29.999', 1)], [confirmed(0, '12:00:30', 10)]);
    expect(window(windows, '12:00:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 10 }, tooLate: 0, final: false });
    run(windows, [confirmed(0, '12:01:30', 1)], [confirmed(0, '12:00:31', 10)]);
    expect(window(windows, '12:00:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 10 }, tooLate: 1, final: true });
  });

  it('judges lateness by the event\'s own partition: another partition far ahead does not make it late', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 2 }), [confirmed(1, '12:05:00')], [confirmed(0, '12:00:10', 40)]);
    expect(window(windows, '12:00:00')).toMatchObject({ confirmed: 1, revenue: { EUR: 40 }, tooLate: 0, final: false });
  });

  it('makes a window final only once it closed on every partition, and reports it as changed then', () => {
    const windows = new OrderWindows({ graceMs: GRACE, partitions: 3 });
    run(windows, [confirmed(0, '12:00:10')], [confirmed(0, '12:02:00'), confirmed(1, '12:02:00')]);
    expect(window(windows, '12:00:00')?.final).toBe(false); // partition 2 has seen nothing yet
    const changes = windows.apply([rejected(2, '12:01:30')]);
    expect(changes.windows.map((w) => [new Date(w.start).toISOString(), w.final])).toEqual([
      ['2026-12-07T12:00:00.000Z', true],
      ['2026-12-07T12:01:00.000Z', false],
    ]);
  });

  it('the stream time only moves forward, and only on the events it aggregates', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [confirmed(0, '12:03:00'), confirmed(0, '12:01:00')]);
    expect(windows.streamTime(0)).toBe(at('12:03:00'));
    expect(windows.streamTime(1)).toBeUndefined();
  });
});

describe('OrderWindows: transactions, restore and replay', () => {
  it('apply changes nothing until accept: an aborted batch run again gives the same changes', () => {
    const windows = run(new OrderWindows({ graceMs: GRACE, partitions: 1 }), [confirmed(0, '12:00:05', 100)]);
    const batch = [confirmed(0, '12:00:06', 200), confirmed(0, '12:02:00', 1)];
    const first = windows.apply(batch);
    expect(all(windows)).toHaveLength(1);
    expect(windows.streamTime(0)).toBe(at('12:00:05'));
    expect(windows.apply(batch)).toEqual(first);
    windows.accept(first);
    expect(window(windows, '12:00:00')).toMatchObject({ revenue: { EUR: 300 }, final: true });
  });

  it('restored from the records it wrote (the latest per window, with the stream times), it goes on exactly as if never stopped', () => {
    const events = scrambledEvents(42, 3, 400);
    const straight = new OrderWindows({ graceMs: GRACE, partitions: 3 });
    let restarted = new OrderWindows({ graceMs: GRACE, partitions: 3 });
    const written: Array<{ window: OrderWindow; streamTimes: ReadonlyMap<number, number> }> = [];
    batchesOf(interleave(events, 7), 5).forEach((batch, n) => {
      straight.accept(straight.apply(batch));
      const changes = restarted.apply(batch);
      restarted.accept(changes);
      for (const w of changes.windows) written.push({ window: w, streamTimes: changes.streamTimes });
      if (n % 13 === 12) {
        // A crash: the new process reads the output topic back.
        restarted = new OrderWindows({ graceMs: GRACE, partitions: 3 });
        for (const record of written) restarted.restore(record.window, record.streamTimes);
      }
    });
    expect(all(restarted)).toEqual(all(straight));
    expect(all(straight).reduce((sum, w) => sum + w.tooLate, 0)).toBeGreaterThan(0);
  });

  it('a replay gives the same windows, however the partitions interleave and the batches split', () => {
    const events = scrambledEvents(7, 3, 600);
    const results = [1, 2, 3, 4].map((seed) => {
      const windows = new OrderWindows({ graceMs: GRACE, partitions: 3 });
      for (const batch of batchesOf(interleave(events, seed), seed * 3)) windows.accept(windows.apply(batch));
      return all(windows);
    });
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    // The input really was out of order, and some of it too late, and the early windows final.
    expect(results[0].some((w) => w.tooLate > 0)).toBe(true);
    expect(results[0].some((w) => w.final)).toBe(true);
    const counted = results[0].reduce((sum, w) => sum + w.confirmed + Object.values(w.rejected).reduce((a, b) => a + b, 0) + w.tooLate, 0);
    expect(counted).toBe(events.flat().length);
  });
});

describe('reasonCode', () => {
  it.each([
    ['OUT_OF_STOCK: MUG-LOGO', 'OUT_OF_STOCK'],
    ['CARD_DECLINED', 'CARD_DECLINED'],
    ['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS'],
    ['ADDRESS_UNREACHABLE', 'ADDRESS_UNREACHABLE'],
    ['RESERVE_STOCK got no answer in time', 'TIMED_OUT'],
    ['something else', 'OTHER'],
  ])('%s -> %s', (reason, code) => {
    expect(reasonCode(reason)).toBe(code);
  });
});

/** A small seeded generator (mulberry32): the same seed, the same sequence. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per partition, events moving forward about a second each, some up to 50 s out of order (so some too late). */
function scrambledEvents(seed: number, partitions: number, perPartition: number): OrderFact[][] {
  const next = random(seed);
  return Array.from({ length: partitions }, (_, partition) =>
    Array.from({ length: perPartition }, (_, i) => {
      const time = T0 + i * 1000 - (next() < 0.1 ? Math.floor(next() * 50_000) : 0);
      return next() < 0.8
        ? { kind: 'confirmed' as const, partition, at: time, currency: next() < 0.5 ? 'EUR' : 'USD', amountCents: 1 + Math.floor(next() * 10_000) }
        : { kind: 'rejected' as const, partition, at: time, reason: next() < 0.5 ? 'OUT_OF_STOCK' : 'CARD_DECLINED' };
    }),
  );
}

/** One stream of all partitions' events, each partition's in its own order, interleaved at random. */
function interleave(partitions: OrderFact[][], seed: number): OrderFact[] {
  const next = random(seed);
  const cursors = partitions.map(() => 0);
  const out: OrderFact[] = [];
  while (out.length < partitions.flat().length) {
    const p = Math.floor(next() * partitions.length);
    if (cursors[p] < partitions[p].length) out.push(partitions[p][cursors[p]++]);
  }
  return out;
}

/** Consecutive runs of at most `size` events of one partition, as Kafka hands them over. */
function batchesOf(events: OrderFact[], size: number): OrderFact[][] {
  const batches: OrderFact[][] = [];
  for (const event of events) {
    const last = batches[batches.length - 1];
    if (last && last.length < size && last[0].partition === event.partition) last.push(event);
    else batches.push([event]);
  }
  return batches;
}
