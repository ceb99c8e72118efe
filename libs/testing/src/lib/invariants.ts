import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infra';
import { waitFor } from './service-process';
import type { Shop } from './shop';

const seed = JSON.parse(readFileSync(join(repoRoot, 'apps/inventory/seed/products.json'), 'utf8')) as Array<{ sku: string; stock: number }>;
const SETTLED = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'REJECTED', 'CANCELLED'];
const KEPT = ['CONFIRMED', 'SHIPPED', 'DELIVERED'];

export interface InvariantOptions {
  /** Stock put in per SKU beyond the seed (the benchmark tops some products up). */
  addedStock?: Record<string, number>;
}

export interface ShopTotals {
  problems: string[];
  orders: number;
}

/**
 * What must hold across the five databases and the SMTP sink once every saga has settled:
 * stock conserved and reserved exactly for the kept orders, charges minus refunds equal to the
 * totals of the kept orders, at most one live shipment per order and one for each kept order,
 * no email sent twice. Returns the list of violations (empty when all holds).
 */
export async function checkInvariants(shop: Shop, options: InvariantOptions = {}): Promise<ShopTotals> {
  const problems: string[] = [];
  const orders = await shop.query<{ id: string; status: string; total_cents: number }>('order', 'SELECT id, status, total_cents FROM orders');
  const unsettled = orders.filter((o) => !SETTLED.includes(o.status));
  if (unsettled.length > 0) problems.push(`orders not settled: ${unsettled.map((o) => `${o.id}=${o.status}`).join(', ')}`);
  const kept = new Set(orders.filter((o) => KEPT.includes(o.status)).map((o) => o.id));

  // Stock: nothing created or lost, and reserved units are exactly those of the kept orders.
  const products = await shop.query<{ sku: string; available: number; reserved: number }>('inventory', 'SELECT sku, available, reserved FROM product');
  const reservations = await shop.query<{ order_id: string; status: string; lines: Array<{ sku: string; quantity: number }> }>(
    'inventory',
    `SELECT order_id, status, lines FROM reservation`,
  );
  const reservedBySku = new Map<string, number>();
  for (const r of reservations.filter((x) => x.status === 'RESERVED')) {
    if (!kept.has(r.order_id)) problems.push(`stock still reserved for order ${r.order_id}, which is not kept`);
    for (const l of r.lines) reservedBySku.set(l.sku, (reservedBySku.get(l.sku) ?? 0) + l.quantity);
  }
  const reserved = new Set(reservations.filter((r) => r.status === 'RESERVED').map((r) => r.order_id));
  for (const id of kept) if (!reserved.has(id)) problems.push(`kept order ${id} has no reservation`);
  for (const s of seed) {
    const p = products.find((x) => x.sku === s.sku);
    if (!p) problems.push(`product ${s.sku} missing`);
    else {
      if (p.available < 0) problems.push(`${s.sku}: negative stock ${p.available}`);
      const stock = s.stock + (options.addedStock?.[s.sku] ?? 0);
      if (p.available + p.reserved !== stock) problems.push(`${s.sku}: available ${p.available} + reserved ${p.reserved} != stock put in ${stock}`);
      if (p.reserved !== (reservedBySku.get(s.sku) ?? 0)) problems.push(`${s.sku}: reserved ${p.reserved} != reservations ${reservedBySku.get(s.sku) ?? 0}`);
    }
  }

  // Money: what was taken and not given back is exactly what the kept orders cost.
  const money = await shop.query<{ type: string; amount: string }>(
    'payment',
    `SELECT type, coalesce(sum((data->>'amountCents')::bigint), 0) AS amount FROM account_event WHERE type IN ('PaymentCharged', 'PaymentRefunded') GROUP BY type`,
  );
  const charged = Number(money.find((m) => m.type === 'PaymentCharged')?.amount ?? 0);
  const refunded = Number(money.find((m) => m.type === 'PaymentRefunded')?.amount ?? 0);
  const keptTotal = orders.filter((o) => kept.has(o.id)).reduce((s, o) => s + o.total_cents, 0);
  if (charged - refunded !== keptTotal) problems.push(`charged ${charged} - refunded ${refunded} != kept orders' total ${keptTotal}`);

  // Shipments: one live shipment for each kept order and none for any other.
  const live = await shop.query<{ order_id: string }>('shipping', `SELECT order_id FROM shipment WHERE status IN ('SCHEDULED', 'DISPATCHED', 'DELIVERED')`);
  const liveIds = live.map((s) => s.order_id);
  const shipped = new Set(liveIds);
  if (shipped.size !== liveIds.length) problems.push('an order has more than one live shipment');
  for (const id of liveIds) if (!kept.has(id)) problems.push(`live shipment for order ${id}, which is not kept`);
  for (const id of kept) if (!shipped.has(id)) problems.push(`kept order ${id} has no live shipment`);

  // Emails: none twice. (Sets, not nested scans: the benchmark checks tens of thousands.)
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const { MessageID } of await shop.emails()) (seen.has(MessageID) ? dupes : seen).add(MessageID);
  if (dupes.size > 0) problems.push(`emails sent twice: ${[...dupes].join(', ')}`);

  return { problems, orders: orders.length };
}

/** Waits (sagas settle asynchronously) until the invariants hold, then fails with the violations if they never do. */
export async function expectInvariants(shop: Shop, timeoutMs = 60_000, options: InvariantOptions = {}): Promise<ShopTotals> {
  let last: ShopTotals = { problems: ['not checked'], orders: 0 };
  try {
    await waitFor('the shop invariants', async () => (last = await checkInvariants(shop, options)).problems.length === 0, timeoutMs, 500);
  } catch {
    throw new Error(`shop invariants violated:\n- ${last.problems.join('\n- ')}`);
  }
  return last;
}
