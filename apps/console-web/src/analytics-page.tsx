import { CHART_MINUTES, minuteChart, type MinuteBar, type MinuteChart, type OrderWindow, type RevenuePerMinute } from '@shop/console-api';
import type { ReactNode } from 'react';
import { getJson } from './api';
import { clock, money } from './format';
import { usePolling } from './use-polling';

/** Analytics commits a window's changes with each batch of order events: every 2 s shows an order within moments of its confirmation. */
const ANALYTICS_POLL_MS = 2000;

/** The charts' geometry, in SVG user units: a slot per minute, room on the left for the scale and below for the times. */
const SLOT = 20;
const BAR = 14;
const LEFT = 72;
const TOP = 8;
const HEIGHT = 120;
const BOTTOM = 22;
const WIDTH = LEFT + CHART_MINUTES * SLOT + 8;

/** The windows' rejections by reason, e.g. "OUT_OF_STOCK 2, CARD_DECLINED 1"; empty when none. */
const reasons = (window: OrderWindow | null): string => (window?.rejected ?? []).map((r) => `${r.reason} ${r.count}`).join(', ');
const rejectedText = (bar: MinuteBar): string => `${bar.rejected} rejected${bar.rejected > 0 ? ` (${reasons(bar.window)})` : ''}`;
const stateText = (window: OrderWindow): string => (window.final ? 'final' : 'still open');

/**
 * Revenue and orders per minute over the last 30 minutes, from the analytics service (by event
 * time: an order counts in the minute it was confirmed or rejected), polled so that it moves while
 * orders come in. When analytics is not running, the console's answer says so.
 */
export function AnalyticsPage() {
  const { data, error } = usePolling((signal) => getJson<RevenuePerMinute>('/api/analytics/revenue-per-minute', signal), [], ANALYTICS_POLL_MS);
  const chart = data && minuteChart(data);
  return (
    <section>
      <h2>Analytics</h2>
      {error && (
        <p className="error" data-testid="analytics-error">
          {error}
        </p>
      )}
      {!data && !error && <p>Loading…</p>}
      {data && chart && (
        <>
          <p className="muted">
            Revenue and orders per minute of the last {CHART_MINUTES} minutes, by the time each order was confirmed or rejected; as analytics
            counted them at {clock(data.to, true)}, asked every {ANALYTICS_POLL_MS / 1000} s.
          </p>
          {chart.windows.length === 0 ? (
            <p data-testid="analytics-empty">No order has been confirmed or rejected in the last {CHART_MINUTES} minutes: the charts start with the first.</p>
          ) : (
            <>
              <Totals chart={chart} />
              {chart.currencies.map((currency) => (
                <RevenueChart key={currency} chart={chart} currency={currency} />
              ))}
              {chart.currencies.length === 0 && <p>No revenue in these minutes: no order was confirmed.</p>}
              <OrdersChart chart={chart} />
              <Windows windows={chart.windows} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function Totals({ chart }: { chart: MinuteChart }) {
  const revenue = chart.currencies.map((c) => money(chart.bars.reduce((sum, b) => sum + b.revenueCents[c], 0), c));
  const confirmed = chart.bars.reduce((sum, b) => sum + b.confirmed, 0);
  const rejected = chart.bars.reduce((sum, b) => sum + b.rejected, 0);
  return (
    <p data-testid="analytics-totals">
      In these {CHART_MINUTES} minutes: <strong>{revenue.length > 0 ? revenue.join(' + ') : 'no revenue'}</strong>, {confirmed} confirmed, {rejected} rejected.
    </p>
  );
}

/** The times below the bars: every fifth minute and the current one. */
function TimeAxis({ bars }: { bars: MinuteBar[] }) {
  return (
    <g className="chart-axis">
      <line x1={LEFT} x2={LEFT + bars.length * SLOT} y1={TOP + HEIGHT} y2={TOP + HEIGHT} />
      {bars.map((bar, i) =>
        bar.current || (i % 5 === 0 && i < bars.length - 2) ? (
          <text key={bar.start} x={LEFT + i * SLOT + SLOT / 2} y={TOP + HEIGHT + 15} textAnchor="middle">
            {bar.current ? 'now' : clock(bar.start)}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** The scale on the left: the top value and zero. */
function Scale({ top }: { top: string }) {
  return (
    <g className="chart-axis">
      <line className="chart-grid" x1={LEFT} x2={LEFT + CHART_MINUTES * SLOT} y1={TOP} y2={TOP} />
      <text x={LEFT - 6} y={TOP + 4} textAnchor="end">
        {top}
      </text>
      <text x={LEFT - 6} y={TOP + HEIGHT} textAnchor="end">
        0
      </text>
    </g>
  );
}

const barHeight = (value: number, max: number): number => (max > 0 ? (value / max) * HEIGHT : 0);

/**
 * A column per minute: the bar, and behind it a transparent rectangle of the whole height, so that
 * the title (the tooltip with the minute's figures) shows wherever the column is pointed at.
 */
function Column({ bar, index, title, testId, children }: { bar: MinuteBar; index: number; title: string; testId: string; children: ReactNode }) {
  return (
    <g className={bar.current ? 'chart-column chart-current' : 'chart-column'} data-testid={testId} data-start={bar.start} data-confirmed={bar.confirmed} data-rejected={bar.rejected}>
      <title>{title}</title>
      <rect className="chart-hit" x={LEFT + index * SLOT} y={TOP} width={SLOT} height={HEIGHT} />
      {children}
    </g>
  );
}

/** Revenue per minute in one currency: one bar a minute, scaled to the highest. */
function RevenueChart({ chart, currency }: { chart: MinuteChart; currency: string }) {
  const max = chart.maxRevenueCents[currency];
  return (
    <figure className="chart">
      <figcaption>Revenue per minute ({currency})</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${TOP + HEIGHT + BOTTOM}`} role="img" aria-label={`Revenue per minute in ${currency}, last ${CHART_MINUTES} minutes`} data-testid="revenue-chart" data-currency={currency}>
        <Scale top={money(max, currency)} />
        {chart.bars.map((bar, i) => {
          const cents = bar.revenueCents[currency];
          const h = barHeight(cents, max);
          const title = bar.window ? `${clock(bar.start)}: ${money(cents, currency)} revenue, ${bar.confirmed} confirmed, ${rejectedText(bar)}; ${stateText(bar.window)}` : `${clock(bar.start)}: no orders`;
          return (
            <Column key={bar.start} bar={bar} index={i} title={title} testId="revenue-bar">
              {h > 0 && <rect className="chart-revenue" x={LEFT + i * SLOT + (SLOT - BAR) / 2} y={TOP + HEIGHT - h} width={BAR} height={h} />}
            </Column>
          );
        })}
        <TimeAxis bars={chart.bars} />
      </svg>
    </figure>
  );
}

/** Orders per minute: confirmed (green) with the rejected (red) stacked on them, scaled to the busiest minute. */
function OrdersChart({ chart }: { chart: MinuteChart }) {
  return (
    <figure className="chart">
      <figcaption>
        Orders per minute: <span className="legend-confirmed">confirmed</span> and <span className="legend-rejected">rejected</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${TOP + HEIGHT + BOTTOM}`} role="img" aria-label={`Orders confirmed and rejected per minute, last ${CHART_MINUTES} minutes`} data-testid="orders-chart">
        <Scale top={String(chart.maxOrders)} />
        {chart.bars.map((bar, i) => {
          const confirmed = barHeight(bar.confirmed, chart.maxOrders);
          const rejected = barHeight(bar.rejected, chart.maxOrders);
          const x = LEFT + i * SLOT + (SLOT - BAR) / 2;
          const title = bar.window ? `${clock(bar.start)}: ${bar.confirmed} confirmed, ${rejectedText(bar)}; ${stateText(bar.window)}` : `${clock(bar.start)}: no orders`;
          return (
            <Column key={bar.start} bar={bar} index={i} title={title} testId="orders-bar">
              {confirmed > 0 && <rect className="chart-confirmed" x={x} y={TOP + HEIGHT - confirmed} width={BAR} height={confirmed} />}
              {rejected > 0 && <rect className="chart-rejected" x={x} y={TOP + HEIGHT - confirmed - rejected} width={BAR} height={rejected} />}
            </Column>
          );
        })}
        <TimeAxis bars={chart.bars} />
      </svg>
    </figure>
  );
}

/** The windows of the charted minutes, newest first. */
function Windows({ windows }: { windows: OrderWindow[] }) {
  return (
    <table data-testid="analytics-windows">
      <thead>
        <tr>
          <th>Minute</th>
          <th className="number">Revenue</th>
          <th className="number">Confirmed</th>
          <th>Rejected by reason</th>
          <th className="number">Too late</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {windows.map((w) => (
          <tr key={w.windowStart} data-testid="analytics-window" data-start={w.windowStart}>
            <td>
              {clock(w.windowStart)}–{clock(w.windowEnd)}
            </td>
            <td className="number">{w.revenue.length > 0 ? w.revenue.map((r) => money(r.amountCents, r.currency)).join(' + ') : '–'}</td>
            <td className="number" data-testid="window-confirmed">
              {w.confirmed}
            </td>
            <td>{w.rejected.length > 0 ? reasons(w) : '–'}</td>
            <td className="number">{w.tooLate}</td>
            <td>
              <span className={w.final ? 'status window-final' : 'status window-open'}>{stateText(w)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
