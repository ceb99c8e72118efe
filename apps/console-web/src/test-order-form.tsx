import { TEST_ORDER_PATHS, type TestOrderPath } from '@shop/console-api';
import { useState } from 'react';
import { postJson } from './api';

/** Places a test order down the chosen path of the saga, as the signed-in admin, and opens its page. */
export function TestOrderForm() {
  const [path, setPath] = useState<TestOrderPath>('happy');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const place = async () => {
    setBusy(true);
    setError(null);
    try {
      const { orderId } = await postJson<{ orderId: string }>('/api/test-orders', { path });
      window.location.hash = `#/orders/${orderId}`;
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        void place();
      }}
    >
      <label>
        Test order{' '}
        <select value={path} onChange={(e) => setPath(e.target.value as TestOrderPath)}>
          {Object.entries(TEST_ORDER_PATHS).map(([key, p]) => (
            <option key={key} value={key}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Place
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
