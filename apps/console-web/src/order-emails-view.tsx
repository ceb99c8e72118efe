import type { OrderEmail, OrderEmailsResult } from '@shop/console-api';
import { getJson } from './api';
import { between, duration } from './format';
import { usePolling } from './use-polling';

/** The notification service sends emails from a poller, seconds after the order changes: no need to ask as often as for the order. */
const EMAILS_POLL_MS = 3000;

/** The emails the order caused, from Mailpit. */
export function OrderEmailsView({ orderId, placedAt }: { orderId: string; placedAt: string }) {
  const { data, error } = usePolling((signal) => getJson<OrderEmailsResult>(`/api/orders/${encodeURIComponent(orderId)}/emails`, signal), [orderId], EMAILS_POLL_MS);
  return (
    <>
      <h3>Emails</h3>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data?.state === 'unavailable' && (
        <p className="error" data-testid="emails-unavailable">
          The emails cannot be read: {data.detail}
        </p>
      )}
      {data?.state === 'found' && data.emails.length === 0 && <p>No email sent yet.</p>}
      {data?.state === 'found' && data.emails.map((email) => <Email key={email.id} email={email} placedAt={placedAt} />)}
    </>
  );
}

/**
 * One email. Its HTML is someone else's markup: it is shown only in a frame sandboxed without
 * any permission (no script, no same origin, no form, no navigation of this page).
 */
function Email({ email, placedAt }: { email: OrderEmail; placedAt: string }) {
  return (
    <article className="email" data-testid="email">
      <div className="email-header">
        <strong data-testid="email-subject">{email.subject}</strong>
        <span>
          to <span data-testid="email-to">{email.to.join(', ')}</span>, +{duration(between(placedAt, email.at))}
        </span>
      </div>
      {email.html !== null ? <iframe className="email-html" sandbox="" srcDoc={email.html} title={email.subject} /> : <pre className="email-text">{email.text ?? '(no body)'}</pre>}
    </article>
  );
}
