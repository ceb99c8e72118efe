import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infra';
import { waitFor } from './service-process';
import type { Shop } from './shop';

const seed = JSON.parse(readFileSync(join(repoRoot, 'apps/inventory/seed/products.json'), 'utf8')) as Array<{ sku: string; stock: number }>;
const SETTLED = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'REJECTED', 'CANCELLED'];
const KEPT = ['CONFIRMED', 'SHIPPED', 'DELIVERED'];
/** Per-order violations listed by id, at most this many per kind (the benchmark checks tens of thousands of orders). */
const LISTED = 10;

type Line = { sku: string; quantity: number };

/** Lines as a comparable text: quantity per SKU, sorted. */
function quantities(lines: Line[]): string {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku].sort(([a], [b]) => a.localeCompare(b)).map(([sku, n]) => `${n} ${sku}`).join(', ');
}

export interface ShopTotals {
  problems: string[];
  orders: number;
}

/** Which email each order event calls for (the notification service's kinds). */
const EMAIL_FOR_EVENT: Record<string, string> = {
  OrderConfirmed: 'ORDER_CONFIRMED',
  OrderRejected: 'ORDER_REJECTED',
  OrderCancelled: 'ORDER_CANCELLED',
  OrderShipped: 'ORDER_SHIPPED',
  OrderDelivered: 'ORDER_DELIVERED',
};

/**
 * What must hold across the five databases and the SMTP sink once every saga has settled, in
 * sum and order by order:
 * - stock conserved (the seed plus every stock receipt) and reserved exactly for the kept orders, each kept order's reservation
 *   holding exactly its lines, no other order's stock still reserved;
 * - charges minus refunds equal to the totals of the kept orders, and for each order exactly its
 *   total if kept, nothing otherwise;
 * - one live shipment for each kept order and none for any other;
 * - for each order exactly the emails its events call for (confirmed, rejected, cancelled,
 *   shipped, delivered), each received once by the SMTP server (unless it refused the address), none twice.
 * Returns the list of violations (empty when all holds).
 */
export async function checkInvariants(shop: Shop): Promise<ShopTotals> {
  const problems: string[] = [];
  const orders = await shop.query<{ id: string; status: string; total_cents: number; lines: Line[] }>('order', 'SELECT id, status, total_cents, lines FROM orders');
  const unsettled = orders.filter((o) => !SETTLED.includes(o.status));
  if (unsettled.length > 0) problems.push(`orders not settled: ${unsettled.map((o) => `${o.id}=${o.status}`).join(', ')}`);
  const kept = new Set(orders.filter((o) => KEPT.includes(o.status)).map((o) => o.id));

  // Stock: nothing created or lost, and reserved units are exactly those of the kept orders.
  const products = await shop.query<{ sku: string; available: number; reserved: number }>('inventory', 'SELECT sku, available, reserved FROM product');
  const reservations = await shop.query<{ order_id: string; status: string; lines: Array<{ sku: string; quantity: number }> }>(
    'inventory',
    `SELECT order_id, status, lines FROM reservation`,
  );
  // Stock received through inventory's admin API (POST /stock-receipts) beyond the seed.
  const receipts = await shop.query<{ sku: string; received: string }>('inventory', 'SELECT sku, sum(quantity) AS received FROM stock_receipt GROUP BY sku');
  const receivedBySku = new Map(receipts.map((r) => [r.sku, Number(r.received)]));
  const reservedBySku = new Map<string, number>();
  for (const r of reservations.filter((x) => x.status === 'RESERVED')) {
    if (!kept.has(r.order_id)) problems.push(`stock still reserved for order ${r.order_id}, which is not kept`);
    for (const l of r.lines) reservedBySku.set(l.sku, (reservedBySku.get(l.sku) ?? 0) + l.quantity);
  }
  const reservedFor = new Map(reservations.filter((r) => r.status === 'RESERVED').map((r) => [r.order_id, r.lines]));
  for (const o of orders.filter((x) => kept.has(x.id))) {
    const lines = reservedFor.get(o.id);
    if (!lines) problems.push(`kept order ${o.id} has no reservation`);
    else if (quantities(lines) !== quantities(o.lines)) problems.push(`order ${o.id}: reserved ${quantities(lines)}, ordered ${quantities(o.lines)}`);
  }
  for (const s of seed) {
    const p = products.find((x) => x.sku === s.sku);
    if (!p) problems.push(`product ${s.sku} missing`);
    else {
      if (p.available < 0) problems.push(`${s.sku}: negative stock ${p.available}`);
      const stock = s.stock + (receivedBySku.get(s.sku) ?? 0);
      if (p.available + p.reserved !== stock) problems.push(`${s.sku}: available ${p.available} + reserved ${p.reserved} != stock put in ${stock}`);
      if (p.reserved !== (reservedBySku.get(s.sku) ?? 0)) problems.push(`${s.sku}: reserved ${p.reserved} != reservations ${reservedBySku.get(s.sku) ?? 0}`);
    }
  }
  // Products added through the admin API (POST /products) start empty: their stock is what was received.
  for (const p of products.filter((x) => !seed.some((s) => s.sku === x.sku))) {
    const stock = receivedBySku.get(p.sku) ?? 0;
    if (p.available + p.reserved !== stock) problems.push(`${p.sku}: available ${p.available} + reserved ${p.reserved} != stock received ${stock}`);
    if (p.reserved !== (reservedBySku.get(p.sku) ?? 0)) problems.push(`${p.sku}: reserved ${p.reserved} != reservations ${reservedBySku.get(p.sku) ?? 0}`);
  }

  // Money: what was taken and not given back is exactly what the kept orders cost, order by order.
  const money = await shop.query<{ order_id: string; type: string; amount: string }>(
    'payment',
    `SELECT data->>'orderId' AS order_id, type, sum((data->>'amountCents')::bigint) AS amount
       FROM account_event WHERE type IN ('PaymentCharged', 'PaymentRefunded') GROUP BY 1, 2`,
  );
  const netByOrder = new Map<string, number>();
  let charged = 0;
  let refunded = 0;
  for (const m of money) {
    const amount = Number(m.amount);
    if (m.type === 'PaymentCharged') charged += amount;
    else refunded += amount;
    netByOrder.set(m.order_id, (netByOrder.get(m.order_id) ?? 0) + (m.type === 'PaymentCharged' ? amount : -amount));
  }
  const keptTotal = orders.filter((o) => kept.has(o.id)).reduce((s, o) => s + o.total_cents, 0);
  if (charged - refunded !== keptTotal) problems.push(`charged ${charged} - refunded ${refunded} != kept orders' total ${keptTotal}`);
  const wrongMoney = orders.filter((o) => (netByOrder.get(o.id) ?? 0) !== (kept.has(o.id) ? o.total_cents : 0));
  for (const o of wrongMoney.slice(0, LISTED)) problems.push(`order ${o.id} (${o.status}, total ${o.total_cents}): charged minus refunded ${netByOrder.get(o.id) ?? 0}`);
  if (wrongMoney.length > LISTED) problems.push(`... and ${wrongMoney.length - LISTED} more orders whose money does not add up`);

  // Shipments: one live shipment for each kept order and none for any other.
  const live = await shop.query<{ order_id: string }>('shipping', `SELECT order_id FROM shipment WHERE status IN ('SCHEDULED', 'DISPATCHED', 'DELIVERED')`);
  const liveIds = live.map((s) => s.order_id);
  const shipped = new Set(liveIds);
  if (shipped.size !== liveIds.length) problems.push('an order has more than one live shipment');
  for (const id of liveIds) if (!kept.has(id)) problems.push(`live shipment for order ${id}, which is not kept`);
  for (const id of kept) if (!shipped.has(id)) problems.push(`kept order ${id} has no live shipment`);

  // Emails: for each order exactly those its events call for; each sent once, none twice.
  const events = await shop.query<{ order_id: string; type: string }>(
    'order',
    `SELECT DISTINCT order_id, type FROM order_event WHERE type = ANY($1)`,
    [Object.keys(EMAIL_FOR_EVENT)],
  );
  const expected = new Map<string, Set<string>>();
  for (const e of events) expected.set(e.order_id, (expected.get(e.order_id) ?? new Set()).add(EMAIL_FOR_EVENT[e.type]));
  const notifications = await shop.query<{ order_id: string; kind: string; status: string; message_id: string; refusals: number }>(
    'notification',
    'SELECT order_id, kind, status, message_id, refusals FROM notification',
  );
  const written = new Map<string, Set<string>>();
  for (const n of notifications) written.set(n.order_id, (written.get(n.order_id) ?? new Set()).add(n.kind));
  const wrongEmails = orders.filter((o) => [...(expected.get(o.id) ?? [])].sort().join() !== [...(written.get(o.id) ?? [])].sort().join());
  for (const o of wrongEmails.slice(0, LISTED)) {
    problems.push(`order ${o.id} (${o.status}): emails [${[...(written.get(o.id) ?? [])].sort().join(', ')}], its events call for [${[...(expected.get(o.id) ?? [])].sort().join(', ')}]`);
  }
  if (wrongEmails.length > LISTED) problems.push(`... and ${wrongEmails.length - LISTED} more orders without exactly their emails`);
  const copies = new Map<string, number>();
  for (const { MessageID } of await shop.emails()) {
    const id = MessageID.startsWith('<') ? MessageID : `<${MessageID}>`;
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  // An email the SMTP server refused (a rejected address) is retried later or FAILED: not expected in the sink.
  const unsent = notifications.filter((n) => n.refusals === 0 && !copies.has(n.message_id.startsWith('<') ? n.message_id : `<${n.message_id}>`));
  if (unsent.length > 0) problems.push(`emails not (yet) received by the SMTP server: ${unsent.slice(0, LISTED).map((n) => `${n.order_id} ${n.kind} (${n.status})`).join(', ')}${unsent.length > LISTED ? ` and ${unsent.length - LISTED} more` : ''}`);
  const dupes = [...copies].filter(([, n]) => n > 1).map(([id]) => id.replace(/^<|>$/g, ''));
  if (dupes.length > 0) problems.push(`emails sent twice: ${dupes.join(', ')}`);

  return { problems, orders: orders.length };
}

/** Waits (sagas settle asynchronously) until the invariants hold, then fails with the violations if they never do. */
export async function expectInvariants(shop: Shop, timeoutMs = 60_000): Promise<ShopTotals> {
  let last: ShopTotals | undefined;
  try {
    await waitFor('the shop invariants', async () => (last = await checkInvariants(shop)).problems.length === 0, timeoutMs, 500);
  } catch (error) {
    // Never checked (every attempt failed: a query, a database down): waitFor's error says why.
    if (!last) throw error;
    throw new Error(`shop invariants violated:\n- ${last.problems.join('\n- ')}`);
  }
  return last as ShopTotals;
}
