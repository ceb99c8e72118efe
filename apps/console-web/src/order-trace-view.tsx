import { waterfall, type OrderMessage, type OrderTrace, type OrderTraceResult } from '@shop/console-api';
import { getJson } from './api';
import { between, duration } from './format';
import { usePolling } from './use-polling';

/** Traces reach Jaeger in batches of a few seconds: asking more often than this shows nothing sooner. */
const TRACE_POLL_MS = 2500;

/** An order's trace from Jaeger, as a waterfall, and the Kafka messages its spans carried. */
export function OrderTraceView({ orderId, placedAt }: { orderId: string; placedAt: string }) {
  const { data, error } = usePolling((signal) => getJson<OrderTraceResult>(`/api/orders/${encodeURIComponent(orderId)}/trace`, signal), [orderId], TRACE_POLL_MS);
  return (
    <>
      <h3>Trace</h3>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data?.state === 'unavailable' && (
        <p className="error" data-testid="trace-unavailable">
          The trace cannot be read: {data.detail}
        </p>
      )}
      {data?.state === 'pending' && <p data-testid="trace-pending">Jaeger holds no span of this order yet (the services send spans in batches, every few seconds).</p>}
      {data?.state === 'found' && <Waterfall trace={data.trace} />}
      <h3>Kafka messages</h3>
      {data?.state === 'found' ? <Messages messages={data.trace.messages} placedAt={placedAt} /> : <p>Read from the trace, once there is one.</p>}
    </>
  );
}

/** One lane per service, its spans as bars on one time axis; a failed span is red and says why in its title. */
function Waterfall({ trace }: { trace: OrderTrace }) {
  const { lanes, totalMs } = waterfall(trace.spans);
  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="waterfall-axis">
        <span>
          trace <code>{trace.traceId}</code>, {trace.spans.length} spans
        </span>
        <span>{duration(totalMs)}</span>
      </div>
      {lanes.map((lane, i) => (
        <div key={lane.service} className={`lane lane-${i % 6}`} data-testid="trace-lane" data-service={lane.service}>
          <div className="lane-name">{lane.service}</div>
          <div className="lane-rows">
            {lane.rows.map((row, r) => (
              <div key={r} className="lane-row">
                {row.map(({ span, leftPercent, widthPercent }) => (
                  <span
                    key={span.id}
                    className={span.error ? 'span-bar span-error' : 'span-bar'}
                    data-testid="trace-span"
                    style={{ left: `${leftPercent.toFixed(3)}%`, width: `${widthPercent.toFixed(3)}%` }}
                    title={`${span.operation} (${span.service}): ${duration(span.durationMs)} from +${duration(span.startMs)}${span.error ? `; error${span.errorMessage ? `: ${span.errorMessage}` : ''}` : ''}`}
                  >
                    {widthPercent > 12 && <span className="span-label">{span.operation}</span>}
                  </span>
                ))}
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

/** The messages in publish order; "caused by" names the message that caused each (its type when it is in the list). */
function Messages({ messages, placedAt }: { messages: OrderMessage[]; placedAt: string }) {
  if (messages.length === 0) return <p>No message published yet.</p>;
  const typeOf = new Map(messages.map((m) => [m.messageId, m.type]));
  return (
    <table className="messages" data-testid="kafka-messages">
      <thead>
        <tr>
          <th className="number">At</th>
          <th>Topic</th>
          <th>Type</th>
          <th>Message id</th>
          <th>Caused by</th>
          <th>From → to</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.messageId} data-testid="kafka-message" data-message-id={m.messageId}>
            <td className="number">+{duration(between(placedAt, m.at))}</td>
            <td>{m.topic}</td>
            <td>
              <a href={`#/schemas/${encodeURIComponent(m.type)}`} title="its schemas in the schema registry" data-testid="message-type">
                {m.type}
              </a>
            </td>
            <td>
              <code>{m.messageId}</code>
            </td>
            <td data-testid="caused-by">
              {m.causationId ? (
                <>
                  <code>{m.causationId}</code>
                  {typeOf.has(m.causationId) && <span className="cause-type"> ({typeOf.get(m.causationId)})</span>}
                </>
              ) : (
                '—'
              )}
            </td>
            <td>
              {m.publishedBy} → {m.consumedBy.length > 0 ? m.consumedBy.join(', ') : 'no consumer yet'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
