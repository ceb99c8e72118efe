import type { OrderDetail, SagaStep } from '@shop/console-api';
import { getJson } from './api';
import { between, duration, money } from './format';
import { OrderEmailsView } from './order-emails-view';
import { OrderTraceView } from './order-trace-view';
import { usePolling } from './use-polling';

/** One order: its summary, its saga as a timeline of steps, its trace, Kafka messages and emails, its history, and the raw timeline the steps are read from. */
export function OrderPage({ id }: { id: string }) {
  const { data, error } = usePolling((signal) => getJson<OrderDetail>(`/api/orders/${encodeURIComponent(id)}`, signal), [id]);
  return (
    <section>
      <p>
        <a href="#/">← Orders</a>
      </p>
      <h2>
        Order <code>{id}</code>
      </h2>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && <OrderDetails detail={data} />}
    </section>
  );
}

function OrderDetails({ detail: { order, steps, now, history } }: { detail: OrderDetail }) {
  return (
    <>
      <dl className="summary">
        <dt>Status</dt>
        <dd>
          <span className={`status status-${order.status.toLowerCase()}`} data-testid="order-status">
            {order.status}
          </span>
          {order.failureReason && <span className="reason"> {order.failureReason}</span>}
        </dd>
        <dt>Total</dt>
        <dd>{money(order.totalCents, order.currency)}</dd>
        <dt>Placed</dt>
        <dd>
          {new Date(order.placedAt).toLocaleString()} ({duration(between(order.placedAt, now))} ago)
        </dd>
        <dt>Customer</dt>
        <dd>
          <code>{order.customerId}</code>
        </dd>
        <dt>Lines</dt>
        <dd>
          {order.lines.map((l) => (
            <div key={l.sku}>
              {l.quantity} × {l.name} ({l.sku}) {money(l.lineTotalCents, order.currency)}
            </div>
          ))}
        </dd>
      </dl>
      <h3>Saga</h3>
      <SagaTimeline steps={steps} placedAt={order.placedAt} now={now} />
      <OrderTraceView orderId={order.id} placedAt={order.placedAt} />
      <OrderEmailsView orderId={order.id} placedAt={order.placedAt} />
      <h3>History</h3>
      <table className="history" data-testid="history">
        <thead>
          <tr>
            <th className="number">#</th>
            <th className="number">At</th>
            <th>Event</th>
            <th>Status</th>
            <th>Data</th>
          </tr>
        </thead>
        <tbody>
          {history.map((e) => (
            <tr key={e.seq}>
              <td className="number">{e.seq}</td>
              <td className="number">+{duration(between(order.placedAt, e.at))}</td>
              <td>{e.type}</td>
              <td>{e.status}</td>
              <td>
                <code>{JSON.stringify(e.data)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Timeline</h3>
      <table className="timeline">
        <tbody>
          {order.timeline.map((t, i) => (
            <tr key={i}>
              <td className="number">+{duration(between(order.placedAt, t.at))}</td>
              <td>{t.event}</td>
              <td>
                <code>{details(t)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The saga's steps as bars on one time axis from placement to the last step's end (or now, while
 * a step is in flight), so a slow step stands out at a glance.
 */
function SagaTimeline({ steps, placedAt, now }: { steps: SagaStep[]; placedAt: string; now: string }) {
  if (steps.length === 0) return <p>No saga step has started yet.</p>;
  const end = Math.max(...steps.map((s) => Date.parse(s.endedAt ?? now)));
  const span = Math.max(1, end - Date.parse(placedAt));
  const percent = (ms: number) => `${((100 * ms) / span).toFixed(2)}%`;
  return (
    <ol className="steps">
      {steps.map((s, i) => {
        const offset = between(placedAt, s.startedAt);
        const length = s.durationMs ?? between(s.startedAt, now);
        return (
          <li key={i} className={`step step-${s.outcome.replace(' ', '-')}`} data-testid="saga-step">
            <span className="step-name">{s.command}</span>
            <span className="step-bar-track">
              <span className="step-bar" style={{ marginLeft: percent(offset), width: percent(Math.max(length, span / 200)) }} />
            </span>
            <span className="step-outcome">
              {s.outcome}
              {s.durationMs !== null && ` in ${duration(s.durationMs)}`}
              {s.reply && ` (${s.reply}${s.reason ? `: ${s.reason}` : ''})`}
              {s.attempts > 1 && `, ${s.attempts} attempts`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** What a timeline entry carries besides its time and name. */
function details(entry: { at: string; event: string; [k: string]: unknown }): string {
  return Object.entries(entry)
    .filter(([k]) => k !== 'at' && k !== 'event')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
