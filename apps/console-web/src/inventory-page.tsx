import type { InventoryProduct, StockReceipt } from '@shop/console-api';
import { useState } from 'react';
import { getJson, postJson } from './api';
import { money } from './format';
import { usePolling } from './use-polling';

/** The products with their stock (inventory's own figures, polled) and a form to receive a delivery. */
export function InventoryPage() {
  const { data, error } = usePolling((signal) => getJson<InventoryProduct[]>('/api/inventory', signal), []);
  return (
    <>
      <h2>Inventory</h2>
      {data && <ReceiveStockForm products={data} />}
      {error && <p className="error">{error}</p>}
      {data && (
        <table data-testid="inventory">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Name</th>
              <th className="number">Price</th>
              <th className="number">Available</th>
              <th className="number">Reserved</th>
            </tr>
          </thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.sku} data-testid="inventory-product" data-sku={p.sku}>
                <td>{p.sku}</td>
                <td>{p.name}</td>
                <td className="number">{money(p.priceCents, p.currency)}</td>
                <td className="number" data-testid="available">
                  {p.available}
                </td>
                <td className="number">{p.reserved}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A fresh receipt id (crypto.getRandomValues: randomUUID needs a secure context, which a console served over plain HTTP by name is not). */
function newReceiptId(): string {
  return `console-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Receives a delivery of one SKU. The receipt id is made once per delivery: sending the same form
 * again (a double click, a retry after a lost answer) adds the units once; changing the SKU or the
 * quantity, or a receipt recorded, starts a new one.
 */
function ReceiveStockForm({ products }: { products: InventoryProduct[] }) {
  const [sku, setSku] = useState('');
  const [quantity, setQuantity] = useState('');
  const [receiptId, setReceiptId] = useState(newReceiptId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [received, setReceived] = useState<StockReceipt | null>(null);
  const chosen = sku || products[0]?.sku || '';
  const edit = (change: () => void) => {
    change();
    setReceiptId(newReceiptId());
  };
  const receive = async () => {
    setBusy(true);
    setError(null);
    setReceived(null);
    try {
      setReceived(await postJson<StockReceipt>('/api/inventory/receipts', { receiptId, sku: chosen, quantity: Number(quantity) }));
      setQuantity('');
      setReceiptId(newReceiptId());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="filters"
      data-testid="receive-stock"
      onSubmit={(e) => {
        e.preventDefault();
        void receive();
      }}
    >
      <label>
        Receive{' '}
        <input name="quantity" type="number" min={1} step={1} required value={quantity} onChange={(e) => edit(() => setQuantity(e.target.value))} />
      </label>{' '}
      <label>
        of{' '}
        <select name="sku" value={chosen} onChange={(e) => edit(() => setSku(e.target.value))}>
          {products.map((p) => (
            <option key={p.sku} value={p.sku}>
              {p.sku} ({p.name})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || !chosen}>
        Receive stock
      </button>
      {received && (
        <span data-testid="receipt">
          Received {received.quantity} of {received.sku}: {received.availableAfter} available
        </span>
      )}
      {error && <span className="error">{error}</span>}
    </form>
  );
}
