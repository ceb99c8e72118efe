import { useState } from 'react';
import type { DeadLetterList, DeadLetterRow, ReplayResult } from '@shop/console-api';
import { getJson, postJson } from './api';
import { usePolling } from './use-polling';

const idOf = (l: DeadLetterRow) => `${l.dlqTopic}/${l.partition}/${l.offset}`;
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '–');

/** Every DLQ topic's messages, each with a Replay button that asks first (the replay republishes it to its original topic). */
export function DeadLetters() {
  const { data, error } = usePolling((signal) => getJson<DeadLetterList>('/api/dead-letters', signal), []);
  const [asking, setAsking] = useState<DeadLetterRow | null>(null);
  const [replayError, setReplayError] = useState<string | null>(null);
  /** Replays done from this page, shown at once (the list shows them from the next poll on too). */
  const [replayed, setReplayed] = useState<Record<string, string>>({});

  const replay = async (letter: DeadLetterRow) => {
    setAsking(null);
    setReplayError(null);
    try {
      const result = await postJson<ReplayResult>('/api/dead-letters/replay', {
        dlqTopic: letter.dlqTopic,
        partition: letter.partition,
        offset: letter.offset,
      });
      setReplayed((r) => ({ ...r, [idOf(letter)]: result.replayedAt }));
    } catch (e) {
      setReplayError((e as Error).message);
    }
  };

  return (
    <>
      <h3>Dead letters</h3>
      {error && <p className="error">{error}</p>}
      {data?.error && <p className="error">{data.error}</p>}
      {replayError && <p className="error">Replay failed: {replayError}</p>}
      {data && !data.error && (
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th>DLQ</th>
              <th>Origin</th>
              <th>Consumer</th>
              <th>Type</th>
              <th>Message id</th>
              <th>Error</th>
              <th className="number">Attempts</th>
              <th>Failed at</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.topics.flatMap((t) =>
              t.letters.map((l) => {
                const replayedAt = replayed[idOf(l)] ?? l.replayedAt;
                return (
                  <tr key={idOf(l)} data-testid="dead-letter" data-message-id={l.messageId ?? ''} data-key={l.key ?? ''}>
                    <td>
                      {l.dlqTopic} [{l.partition}] @{l.offset}
                    </td>
                    <td>{l.originalTopic ? `${l.originalTopic} [${l.originalPartition ?? '?'}] @${l.originalOffset ?? '?'}` : '–'}</td>
                    <td>{l.consumer ?? '–'}</td>
                    <td>{l.type ?? '–'}</td>
                    <td>
                      <code>{l.messageId ?? '–'}</code>
                    </td>
                    <td className="dead-letter-error">
                      {l.errorClass ?? 'Error'}: {l.error ?? '–'}
                    </td>
                    <td className="number">{l.attempts ?? '–'}</td>
                    <td>{time(l.failedAt)}</td>
                    <td>
                      <button type="button" onClick={() => setAsking(l)} disabled={!l.originalTopic}>
                        Replay
                      </button>
                      {replayedAt && <span className="replayed"> replayed at {time(replayedAt)}</span>}
                    </td>
                  </tr>
                );
              }),
            )}
            {data.topics.every((t) => t.letters.length === 0) && (
              <tr>
                <td colSpan={9}>No dead letters in {data.topics.map((t) => t.topic).join(', ')}.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {asking && (
        <div className="dialog-backdrop">
          <div role="dialog" aria-modal="true" aria-labelledby="replay-title" className="dialog">
            <h4 id="replay-title">Replay this message?</h4>
            <p>
              {asking.type ?? 'The message'} <code>{asking.messageId ?? ''}</code> goes back to <strong>{asking.originalTopic}</strong> with its key, value and headers, for{' '}
              {asking.consumer ?? 'its consumer'} to handle again. Consumers skip a message id they already handled, so a second replay does no harm.
            </p>
            <button type="button" onClick={() => void replay(asking)}>
              Replay to {asking.originalTopic}
            </button>{' '}
            <button type="button" onClick={() => setAsking(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}
