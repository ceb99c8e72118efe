import type { MessageSchemasResult } from '@shop/console-api';
import { getJson } from './api';
import { usePolling } from './use-polling';

/** A message type's schemas as the schema registry holds them: each version's subject, its registry version and id, the JSON Schema. */
export function SchemaPage({ type }: { type: string }) {
  // Schemas change only when someone registers one: a slow poll is plenty.
  const { data, error } = usePolling((signal) => getJson<MessageSchemasResult>(`/api/schemas/${encodeURIComponent(type)}`, signal), [type], 10_000);
  return (
    <section>
      <h2>
        Schemas of <code>{type}</code>
      </h2>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && !data.available && (
        <p className="error" data-testid="schemas-unavailable">
          {data.reason}
        </p>
      )}
      {data?.available && data.schemas.length === 0 && <p data-testid="schemas-none">The registry holds no subject for {type}.</p>}
      {data?.available &&
        data.schemas.map((s) => (
          <article key={s.subject} data-testid="registered-schema" data-subject={s.subject}>
            <h3>
              {s.subject} <span className="muted">(registry version {s.version}, id {s.id})</span>
            </h3>
            <pre className="schema">{JSON.stringify(s.schema, null, 2)}</pre>
          </article>
        ))}
    </section>
  );
}
