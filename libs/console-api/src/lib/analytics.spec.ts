import { CHART_MINUTES, minuteChart, type OrderWindow } from './analytics';

const window = (windowStart: string, extra: Partial<OrderWindow> = {}): OrderWindow => ({
  windowStart,
  windowEnd: new Date(Date.parse(windowStart) + 60_000).toISOString(),
  revenue: [],
  confirmed: 0,
  rejected: [],
  tooLate: 0,
  final: false,
  ...extra,
});

describe('minuteChart', () => {
  it('one bar per minute of the last 30, oldest first, ending with the minute analytics answered in', () => {
    const chart = minuteChart({ from: '2026-12-07T11:34:30.000Z', to: '2026-12-07T12:34:30.000Z', windows: [] });
    expect(chart.bars).toHaveLength(CHART_MINUTES);
    expect(chart.bars[0].start).toBe('2026-12-07T12:05:00.000Z');
    expect(chart.bars.at(-1)?.start).toBe('2026-12-07T12:34:00.000Z');
    expect(chart.bars.map((b) => b.current)).toEqual([...Array<boolean>(CHART_MINUTES - 1).fill(false), true]);
    expect(chart.bars.every((b) => b.window === null && b.confirmed === 0 && b.rejected === 0)).toBe(true);
    expect({ currencies: chart.currencies, maxOrders: chart.maxOrders, windows: chart.windows }).toEqual({ currencies: [], maxOrders: 0, windows: [] });
  });

  it('puts each window on its minute: revenue per currency, confirmed, rejected summed over the reasons; empty minutes stay empty', () => {
    const busy = window('2026-12-07T12:33:00.000Z', { revenue: [{ currency: 'EUR', amountCents: 5000 }], confirmed: 2, rejected: [{ reason: 'CARD_DECLINED', count: 1 }, { reason: 'OUT_OF_STOCK', count: 2 }], final: true });
    const now = window('2026-12-07T12:34:00.000Z', { revenue: [{ currency: 'EUR', amountCents: 1250 }, { currency: 'USD', amountCents: 900 }], confirmed: 2 });
    const chart = minuteChart({ from: '2026-12-07T11:34:30.000Z', to: '2026-12-07T12:34:30.000Z', windows: [busy, now] });
    const [earlier, atBusy, atNow] = chart.bars.slice(-3);
    expect(earlier).toMatchObject({ start: '2026-12-07T12:32:00.000Z', window: null, revenueCents: { EUR: 0, USD: 0 }, confirmed: 0, rejected: 0 });
    expect(atBusy).toMatchObject({ window: busy, revenueCents: { EUR: 5000, USD: 0 }, confirmed: 2, rejected: 3, current: false });
    expect(atNow).toMatchObject({ window: now, revenueCents: { EUR: 1250, USD: 900 }, confirmed: 2, rejected: 0, current: true });
    expect(chart.currencies).toEqual(['EUR', 'USD']);
    expect(chart.maxRevenueCents).toEqual({ EUR: 5000, USD: 900 });
    expect(chart.maxOrders).toBe(5);
    expect(chart.windows).toEqual([now, busy]);
  });

  it('leaves out the windows before the 30 minutes (analytics answers an hour), and their currencies', () => {
    const old = window('2026-12-07T12:04:00.000Z', { revenue: [{ currency: 'GBP', amountCents: 99_999 }], confirmed: 9 });
    const oldest = window('2026-12-07T12:05:00.000Z', { revenue: [{ currency: 'EUR', amountCents: 100 }], confirmed: 1 });
    const chart = minuteChart({ from: '2026-12-07T11:34:30.000Z', to: '2026-12-07T12:34:30.000Z', windows: [old, oldest] });
    expect(chart.windows).toEqual([oldest]);
    expect(chart.currencies).toEqual(['EUR']);
    expect(chart.bars[0].window).toBe(oldest);
    expect(chart.maxOrders).toBe(1);
  });

  it('at a minute boundary the new minute is current, still without a window', () => {
    const chart = minuteChart({ from: '2026-12-07T11:35:00.000Z', to: '2026-12-07T12:35:00.000Z', windows: [window('2026-12-07T12:34:00.000Z', { confirmed: 1 })] });
    expect(chart.bars.at(-1)).toMatchObject({ start: '2026-12-07T12:35:00.000Z', window: null, current: true });
    expect(chart.bars.at(-2)).toMatchObject({ start: '2026-12-07T12:34:00.000Z', confirmed: 1, current: false });
  });
});
