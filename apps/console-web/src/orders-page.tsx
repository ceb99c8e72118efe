import { useState } from 'react';
import { ORDER_STATUSES, type OrderList } from '@shop/console-api';
import { getJson } from './api';
import { TestOrderForm } from './test-order-form';
import { between, duration, money } from './format';
import { usePolling } from './use-polling';

/** The live order list: newest first, with status, total and age; filtered by status and customer. */
export function OrdersPage() {
  const [status, setStatus] = useState('');
  const [customerId, setCustomerId] = useState('');
  const query = new URLSearchParams({ limit: '50', ...(status && { status }), ...(customerId.trim() && { customerId: customerId.trim() }) });
  const { data, error } = usePolling((signal) => getJson<OrderList>(`/api/orders?${query}`, signal), [query.toString()]);

  return (
    <section>
      <h2>Orders</h2>
      <TestOrderForm />
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer <input value={customerId} onChange={(e) => setCustomerId(e.target.value)} placeholder="customer id" size={38} />
        </label>
      </form>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <table className="orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Status</th>
              <th className="number">Total</th>
              <th className="number">Age</th>
              <th>Customer</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((o) => (
              <tr key={o.id} data-order-id={o.id}>
                <td>
                  <a href={`#/orders/${o.id}`}>
                    <code>{o.id}</code>
                  </a>
                </td>
                <td>
                  <span className={`status status-${o.status.toLowerCase()}`}>{o.status}</span>
                </td>
                <td className="number">{money(o.totalCents, o.currency)}</td>
                <td className="number">{duration(between(o.placedAt, data.now))}</td>
                <td>
                  <code>{o.customerId}</code>
                </td>
              </tr>
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={5}>No orders match.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
