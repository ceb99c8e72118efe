import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infra';
import { checkInvariants } from './invariants';
import type { Email, Shop } from './shop';

/** The invariant checks against a fake shop (canned rows per table): each one can fail. */
describe('checkInvariants', () => {
  const seed = JSON.parse(readFileSync(join(repoRoot, 'apps/inventory/seed/products.json'), 'utf8')) as Array<{ sku: string; stock: number }>;
  const mug = seed.find((p) => p.sku === 'MUG-LOGO') as { sku: string; stock: number };

  // Two orders: o1 confirmed (2 mugs, 2500 cents), o2 rejected after a refund.
  function world() {
    return {
      orders: [
        { id: 'o1', status: 'CONFIRMED', total_cents: 2500, lines: [{ sku: mug.sku, quantity: 2, unitPriceCents: 1250 }] },
        { id: 'o2', status: 'REJECTED', total_cents: 1250, lines: [{ sku: mug.sku, quantity: 1, unitPriceCents: 1250 }] },
      ],
      products: seed.map((p) => (p.sku === mug.sku ? { sku: p.sku, available: p.stock - 2, reserved: 2 } : { sku: p.sku, available: p.stock, reserved: 0 })),
      receipts: [] as Array<{ sku: string; received: string }>,
      reservations: [
        { order_id: 'o1', status: 'RESERVED', lines: [{ sku: mug.sku, quantity: 2 }] },
        { order_id: 'o2', status: 'RELEASED', lines: [{ sku: mug.sku, quantity: 1 }] },
      ],
      money: [
        { order_id: 'o1', type: 'PaymentCharged', amount: '2500' },
        { order_id: 'o2', type: 'PaymentCharged', amount: '1250' },
        { order_id: 'o2', type: 'PaymentRefunded', amount: '1250' },
      ],
      shipments: [{ order_id: 'o1' }],
      events: [
        { order_id: 'o1', type: 'OrderConfirmed' },
        { order_id: 'o2', type: 'OrderRejected' },
      ],
      notifications: [
        { order_id: 'o1', kind: 'ORDER_CONFIRMED', status: 'SENT', message_id: '<m1>', refusals: 0 },
        { order_id: 'o2', kind: 'ORDER_REJECTED', status: 'SENT', message_id: '<m2>', refusals: 0 },
      ],
      emails: [{ MessageID: 'm1' }, { MessageID: 'm2' }] as Email[],
    };
  }

  function shopOf(w: ReturnType<typeof world>): Shop {
    const rows = (sql: string): unknown[] => {
      if (sql.includes('FROM orders')) return w.orders;
      if (sql.includes('FROM product')) return w.products;
      if (sql.includes('FROM reservation')) return w.reservations;
      if (sql.includes('FROM stock_receipt')) return w.receipts;
      if (sql.includes('FROM account_event')) return w.money;
      if (sql.includes('FROM shipment')) return w.shipments;
      if (sql.includes('FROM order_event')) return w.events;
      if (sql.includes('FROM notification')) return w.notifications;
      throw new Error(`unexpected query: ${sql}`);
    };
    return { query: async (_service: string, sql: string) => rows(sql), emails: async () => w.emails } as unknown as Shop;
  }

  it('finds nothing wrong when everything adds up', async () => {
    expect(await checkInvariants(shopOf(world()))).toEqual({ problems: [], orders: 2 });
  });

  it('names an email sent twice, a kept order without a shipment, money and stock that do not add up', async () => {
    const w = world();
    w.emails.push({ MessageID: 'm1' } as Email);
    w.shipments = [];
    w.money[2].amount = '0';
    w.products = w.products.map((p) => (p.sku === mug.sku ? { ...p, available: p.available + 1 } : p));
    expect((await checkInvariants(shopOf(w))).problems).toEqual([
      `${mug.sku}: available ${mug.stock - 1} + reserved 2 != stock put in ${mug.stock}`,
      "charged 3750 - refunded 0 != kept orders' total 2500",
      'order o2 (REJECTED, total 1250): charged minus refunded 1250',
      'kept order o1 has no live shipment',
      'emails sent twice: m1',
    ]);
  });

  it('checks each order on its own: money that adds up in sum but not per order, a reservation of other lines, an email missing or not called for', async () => {
    const w = world();
    // o1 charged 1250 too little, o2 refunded 1250 too little: the sums still match.
    w.money = [
      { order_id: 'o1', type: 'PaymentCharged', amount: '1250' },
      { order_id: 'o2', type: 'PaymentCharged', amount: '1250' },
    ];
    w.reservations[0].lines = [{ sku: mug.sku, quantity: 1 }, { sku: mug.sku, quantity: 1 }]; // the same 2 mugs, split: fine
    w.orders[0].lines = [{ sku: mug.sku, quantity: 1, unitPriceCents: 1250 }, { sku: 'OTHER', quantity: 1, unitPriceCents: 1250 }];
    w.notifications = [
      { order_id: 'o1', kind: 'ORDER_CONFIRMED', status: 'SENT', message_id: '<m1>', refusals: 0 },
      { order_id: 'o1', kind: 'ORDER_SHIPPED', status: 'SENT', message_id: '<m3>', refusals: 0 },
    ];
    w.emails = [{ MessageID: 'm1' }] as Email[];
    expect((await checkInvariants(shopOf(w))).problems).toEqual([
      `order o1: reserved 2 ${mug.sku}, ordered 1 ${mug.sku}, 1 OTHER`,
      'order o1 (CONFIRMED, total 2500): charged minus refunded 1250',
      'order o2 (REJECTED, total 1250): charged minus refunded 1250',
      'order o1 (CONFIRMED): emails [ORDER_CONFIRMED, ORDER_SHIPPED], its events call for [ORDER_CONFIRMED]',
      'order o2 (REJECTED): emails [], its events call for [ORDER_REJECTED]',
      'emails not (yet) received by the SMTP server: o1 ORDER_SHIPPED (SENT)',
    ]);
  });

  it('does not expect in the sink an email whose address the SMTP server refused', async () => {
    const w = world();
    w.notifications[1] = { ...w.notifications[1], status: 'PENDING', refusals: 2 };
    w.emails = [{ MessageID: 'm1' }] as Email[];
    expect((await checkInvariants(shopOf(w))).problems).toEqual([]);
  });

  it('counts stock received through the admin API (stock_receipt), and only that', async () => {
    const w = world();
    w.products = w.products.map((p) => (p.sku === mug.sku ? { ...p, available: p.available + 1000 } : p));
    expect((await checkInvariants(shopOf(w))).problems).toEqual([`${mug.sku}: available ${mug.stock + 998} + reserved 2 != stock put in ${mug.stock}`]);
    // Postgres answers sum() of integers as bigint, which node-postgres gives as a string.
    w.receipts = [{ sku: mug.sku, received: '1000' }];
    expect((await checkInvariants(shopOf(w))).problems).toEqual([]);
    w.receipts = [{ sku: mug.sku, received: '999' }];
    expect((await checkInvariants(shopOf(w))).problems).toEqual([`${mug.sku}: available ${mug.stock + 998} + reserved 2 != stock put in ${mug.stock + 999}`]);
  });

  it('checks a product added through the admin API against what was received for it', async () => {
    const w = world();
    w.products = [...w.products, { sku: 'TOTE-BAG', available: 5, reserved: 0 }];
    expect((await checkInvariants(shopOf(w))).problems).toEqual(['TOTE-BAG: available 5 + reserved 0 != stock received 0']);
    w.receipts = [{ sku: 'TOTE-BAG', received: '5' }];
    expect((await checkInvariants(shopOf(w))).problems).toEqual([]);
    w.products = w.products.map((p) => (p.sku === 'TOTE-BAG' ? { ...p, available: 3, reserved: 2 } : p));
    expect((await checkInvariants(shopOf(w))).problems).toEqual(['TOTE-BAG: reserved 2 != reservations 0']);
  });
});
