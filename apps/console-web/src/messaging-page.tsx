import { useRef } from 'react';
import { outcomeRates, type MessagingOverview, type ServiceMessaging } from '@shop/console-api';
import { getJson } from './api';
import { DeadLetters } from './dead-letters';
import { duration } from './format';
import { usePolling } from './use-polling';

interface Row extends ServiceMessaging {
  /** Messages per second by outcome since the previous poll; null on the first one. */
  rates: Record<string, number> | null;
}

const perSecond = (rate: number | undefined | null): string => (rate === undefined || rate === null ? '–' : rate.toFixed(rate > 0 && rate < 10 ? 2 : 0));
/** Handled: at once or after retries (the counter's `handled` and `retried` outcomes). */
const handled = (byOutcome: Record<string, number>): number => (byOutcome['handled'] ?? 0) + (byOutcome['retried'] ?? 0);

/** Each service's outbox, consumer lag and message rates (from its /metrics), and the dead letters with their replay. */
export function MessagingPage() {
  const previous = useRef(new Map<string, ServiceMessaging>());
  const { data, error } = usePolling(async (signal) => {
    const overview = await getJson<MessagingOverview>('/api/messaging', signal);
    const rows: Row[] = overview.services.map((s) => ({
      ...s,
      rates: outcomeRates(previous.current.get(s.service), s),
    }));
    for (const s of overview.services) if (!s.error) previous.current.set(s.service, s);
    return rows;
  }, []);

  return (
    <section>
      <h2>Messaging</h2>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <>
          <table data-testid="messaging-services">
            <thead>
              <tr>
                <th>Service</th>
                <th className="number">Outbox backlog</th>
                <th className="number">Oldest unpublished</th>
                <th>Kafka</th>
                <th className="number">Handled/s</th>
                <th className="number">Dead-lettered/s</th>
                <th className="number">Handled (total)</th>
                <th className="number">Dead-lettered (total)</th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <tr key={s.service} data-service={s.service}>
                  <td>{s.service}</td>
                  {s.error ? (
                    <td colSpan={7} className="error">
                      /metrics unreadable: {s.error}
                    </td>
                  ) : (
                    <>
                      <td className="number">{s.outboxBacklog ?? '–'}</td>
                      <td className="number">{s.oldestUnpublishedAgeSeconds === null ? '–' : duration(s.oldestUnpublishedAgeSeconds * 1000)}</td>
                      <td data-testid="kafka-reachable">{s.kafkaReachable === null ? '–' : s.kafkaReachable ? 'reachable' : 'unreachable'}</td>
                      <td className="number">{s.rates ? perSecond(handled(s.rates)) : '–'}</td>
                      <td className="number">{perSecond(s.rates?.['dead_lettered'])}</td>
                      <td className="number" data-testid="handled-total">
                        {handled(s.handledTotal)}
                      </td>
                      <td className="number" data-testid="dead-lettered-total">
                        {s.handledTotal['dead_lettered'] ?? 0}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Consumer lag</h3>
          <table data-testid="consumer-lag">
            <thead>
              <tr>
                <th>Service</th>
                <th>Group</th>
                <th>Topic</th>
                <th className="number">Partition</th>
                <th className="number">Lag</th>
              </tr>
            </thead>
            <tbody>
              {data.flatMap((s) =>
                s.consumerLag.map((l) => (
                  <tr key={`${s.service}/${l.group}/${l.topic}/${l.partition}`}>
                    <td>{s.service}</td>
                    <td>{l.group}</td>
                    <td>{l.topic}</td>
                    <td className="number">{l.partition}</td>
                    <td className="number">{l.lag}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}
      <DeadLetters />
    </section>
  );
}
