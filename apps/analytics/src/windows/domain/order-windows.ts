/** Windows are one minute long, aligned on the minute (UTC). */
export const WINDOW_MS = 60_000;

/** An order event as the windows see it: where it was read, when it happened, what it adds. */
export type OrderFact =
  | { kind: 'confirmed'; partition: number; at: number; currency: string; amountCents: number }
  | { kind: 'rejected'; partition: number; at: number; reason: string };

/** One window's result: what the output topic carries (times as epoch milliseconds here). */
export interface OrderWindow {
  start: number;
  end: number;
  /** Cents per currency. */
  revenue: Readonly<Record<string, number>>;
  confirmed: number;
  /** Count per reason code. */
  rejected: Readonly<Record<string, number>>;
  tooLate: number;
  final: boolean;
}

/** What a batch changed: the windows to write (whole, as they are after the batch) and the stream times after it. */
export interface WindowChanges {
  windows: OrderWindow[];
  streamTimes: ReadonlyMap<number, number>;
  counted: number;
  tooLate: number;
}

export interface OrderWindowsOptions {
  /** How long after a window's end (in stream time) its events are still taken. */
  graceMs: number;
  /** The input topic's partitions: a window is final once it has closed on every one. */
  partitions: number;
}

/**
 * Tumbling one-minute windows of order events by event time, with a grace period, plain and
 * deterministic (no clock: time is the events').
 *
 * - Stream time, per input partition, is the highest event time seen on it.
 * - An event lands in the window holding its time unless that window has closed for its
 *   partition (stream time >= window end + grace) or is final: then it is only counted in the
 *   window's `tooLate`. Lateness depends on its own partition's order alone, which Kafka keeps,
 *   so a replay gives the same windows however the partitions interleave.
 * - A window is final once it has closed on every partition: the merged stream time is the
 *   lowest partition's (a partition never seen counts as not started).
 *
 * `apply` computes a batch's changes without touching the state (the batch may be aborted and
 * run again); `accept` makes them the state once they are committed.
 */
export class OrderWindows {
  private readonly windows = new Map<number, OrderWindow>();
  private readonly streamTimes = new Map<number, number>();

  constructor(private readonly options: OrderWindowsOptions) {}

  /** Takes back a window as it was last written (restore: records in offset order, the latest of each window last). */
  restore(window: OrderWindow, streamTimes: ReadonlyMap<number, number>): void {
    this.windows.set(window.start, window);
    for (const [partition, time] of streamTimes) this.streamTimes.set(partition, Math.max(time, this.streamTimes.get(partition) ?? -Infinity));
  }

  apply(facts: readonly OrderFact[]): WindowChanges {
    const changed = new Map<number, OrderWindow>();
    const streamTimes = new Map(this.streamTimes);
    const current = (start: number) => changed.get(start) ?? this.windows.get(start);
    let counted = 0;
    let tooLate = 0;
    for (const fact of facts) {
      const streamTime = Math.max(streamTimes.get(fact.partition) ?? -Infinity, fact.at);
      streamTimes.set(fact.partition, streamTime);
      const start = windowStart(fact.at);
      const window = current(start) ?? emptyWindow(start);
      if (window.final || streamTime >= window.end + this.options.graceMs) {
        changed.set(start, { ...window, tooLate: window.tooLate + 1 });
        tooLate++;
      } else {
        changed.set(start, add(window, fact));
        counted++;
      }
    }
    const merged = this.mergedStreamTime(streamTimes);
    for (const window of this.candidatesForFinal(changed)) {
      if (merged >= window.end + this.options.graceMs) changed.set(window.start, { ...window, final: true });
    }
    return { windows: [...changed.values()].sort((a, b) => a.start - b.start), streamTimes, counted, tooLate };
  }

  accept(changes: WindowChanges): void {
    for (const window of changes.windows) this.windows.set(window.start, window);
    this.streamTimes.clear();
    for (const [partition, time] of changes.streamTimes) this.streamTimes.set(partition, time);
  }

  /** The windows starting in [from, to), oldest first. */
  between(from: number, to: number): OrderWindow[] {
    return [...this.windows.values()].filter((w) => w.start >= from && w.start < to).sort((a, b) => a.start - b.start);
  }

  /** Windows not final yet. */
  openWindows(): number {
    let open = 0;
    for (const window of this.windows.values()) if (!window.final) open++;
    return open;
  }

  streamTime(partition: number): number | undefined {
    return this.streamTimes.get(partition);
  }

  /** The lowest stream time over the input's partitions (and any other partition seen): -Infinity while one has seen nothing. */
  private mergedStreamTime(streamTimes: ReadonlyMap<number, number>): number {
    let merged = Infinity;
    const partitions = new Set([...Array.from({ length: this.options.partitions }, (_, p) => p), ...streamTimes.keys()]);
    for (const partition of partitions) merged = Math.min(merged, streamTimes.get(partition) ?? -Infinity);
    return merged;
  }

  private *candidatesForFinal(changed: Map<number, OrderWindow>): Iterable<OrderWindow> {
    for (const window of changed.values()) if (!window.final) yield window;
    for (const window of this.windows.values()) if (!window.final && !changed.has(window.start)) yield window;
  }
}

export function windowStart(at: number): number {
  return Math.floor(at / WINDOW_MS) * WINDOW_MS;
}

function emptyWindow(start: number): OrderWindow {
  return { start, end: start + WINDOW_MS, revenue: {}, confirmed: 0, rejected: {}, tooLate: 0, final: false };
}

function add(window: OrderWindow, fact: OrderFact): OrderWindow {
  if (fact.kind === 'confirmed') {
    return { ...window, confirmed: window.confirmed + 1, revenue: { ...window.revenue, [fact.currency]: (window.revenue[fact.currency] ?? 0) + fact.amountCents } };
  }
  return { ...window, rejected: { ...window.rejected, [fact.reason]: (window.rejected[fact.reason] ?? 0) + 1 } };
}

/**
 * The reason code of an order's rejection reason: the code before a colon (`OUT_OF_STOCK` for
 * `OUT_OF_STOCK: MUG-LOGO`), the code itself (`CARD_DECLINED`), `TIMED_OUT` for a step that got
 * no answer in time (`RESERVE_STOCK got no answer in time`), `OTHER` for anything else.
 */
export function reasonCode(reason: string): string {
  const code = /^([A-Z][A-Z0-9_]*)(?::|$)/.exec(reason.trim());
  if (code) return code[1];
  if (/ got no answer in time$/.test(reason)) return 'TIMED_OUT';
  return 'OTHER';
}
