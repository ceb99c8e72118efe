import type { HealthOverview } from '@shop/console-api';
import { getJson } from './api';
import { usePolling } from './use-polling';

/** Each service's probes and the infrastructure's state: green or red, with what was seen. */
export function HealthPage() {
  const { data, error } = usePolling((signal) => getJson<HealthOverview>('/api/health', signal), []);
  return (
    <section>
      <h2>Health</h2>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <table data-testid="health">
          <thead>
            <tr>
              <th>Check</th>
              <th>Kind</th>
              <th>State</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {data.checks.map((c) => (
              <tr key={c.name} data-testid="health-check" data-check={c.name}>
                <td>{c.name}</td>
                <td>{c.kind}</td>
                <td>
                  <span className={`status ${c.up ? 'health-up' : 'health-down'}`}>{c.up ? 'up' : 'down'}</span>
                </td>
                <td>{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
