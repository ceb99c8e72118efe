/**
 * The Analytics view: revenue and orders per minute as the analytics service computes them from
 * the order events (apps/analytics/README.md) and its GET /analytics/revenue-per-minute answers.
 * Analytics has no committed OpenAPI document to generate these from, so they are written here
 * once; apps/analytics' revenue-per-minute.controller.spec.ts fails (at compile time and at run
 * time) when its controller's answer and these differ.
 */

/** One minute of orders by event time, [windowStart, windowEnd). */
export interface OrderWindow {
  windowStart: string;
  windowEnd: string;
  /** Confirmed revenue per currency, in cents, sorted by currency. */
  revenue: Array<{ currency: string; amountCents: number }>;
  confirmed: number;
  /** Rejected orders per reason code (OUT_OF_STOCK, TIMED_OUT, OTHER, ...), sorted by reason. */
  rejected: Array<{ reason: string; count: number }>;
  /** Events of this minute that arrived after it closed: counted here, not in the figures. */
  tooLate: number;
  /** Closed on every input partition: the figures will not change again. */
  final: boolean;
}

/** GET /api/analytics/revenue-per-minute?from&to, analytics' answer as it is: the windows starting in [from, to), oldest first. */
export interface RevenuePerMinute {
  from: string;
  to: string;
  windows: OrderWindow[];
}

/** How many minutes the view charts, ending with the current one. */
export const CHART_MINUTES = 30;
const MINUTE_MS = 60_000;

/** One minute of the chart, with or without a window (no order was confirmed or rejected in it). */
export interface MinuteBar {
  start: string;
  window: OrderWindow | null;
  /** Revenue in cents for each of the chart's currencies (0 where none). */
  revenueCents: Record<string, number>;
  confirmed: number;
  /** Rejected orders, all reasons together. */
  rejected: number;
  /** The minute analytics' clock is in (its answer's `to`). */
  current: boolean;
}

export interface MinuteChart {
  /** Every minute of the chart, oldest first, ending with the current one. */
  bars: MinuteBar[];
  /** The currencies with revenue in these minutes, sorted: one revenue chart each. */
  currencies: string[];
  /** The scales: the highest revenue per currency, the most orders (confirmed and rejected) in a minute. */
  maxRevenueCents: Record<string, number>;
  maxOrders: number;
  /** The windows of these minutes, newest first (the table). */
  windows: OrderWindow[];
}

/**
 * The last `minutes` minutes of an answer as bars, one per minute, ending with the minute its `to`
 * is in: analytics' clock, not the browser's, so a skewed browser still sees the current window.
 */
export function minuteChart(answer: RevenuePerMinute, minutes = CHART_MINUTES): MinuteChart {
  const current = Math.floor(Date.parse(answer.to) / MINUTE_MS) * MINUTE_MS;
  const first = current - (minutes - 1) * MINUTE_MS;
  const windows = answer.windows.filter((w) => Date.parse(w.windowStart) >= first && Date.parse(w.windowStart) <= current);
  const byStart = new Map(windows.map((w) => [Date.parse(w.windowStart), w]));
  const currencies = [...new Set(windows.flatMap((w) => w.revenue.map((r) => r.currency)))].sort();
  const bars = Array.from({ length: minutes }, (_, i): MinuteBar => {
    const start = first + i * MINUTE_MS;
    const window = byStart.get(start) ?? null;
    return {
      start: new Date(start).toISOString(),
      window,
      revenueCents: Object.fromEntries(currencies.map((c) => [c, window?.revenue.find((r) => r.currency === c)?.amountCents ?? 0])),
      confirmed: window?.confirmed ?? 0,
      rejected: window?.rejected.reduce((sum, r) => sum + r.count, 0) ?? 0,
      current: start === current,
    };
  });
  return {
    bars,
    currencies,
    maxRevenueCents: Object.fromEntries(currencies.map((c) => [c, Math.max(...bars.map((b) => b.revenueCents[c]))])),
    maxOrders: Math.max(0, ...bars.map((b) => b.confirmed + b.rejected)),
    windows: [...windows].sort((a, b) => Date.parse(b.windowStart) - Date.parse(a.windowStart)),
  };
}
