import { checkInvariants, type Shop } from '@shop/testing';
import { SETTLED } from '../measure';
import { deadLetterTopic, CONSUMED_TOPICS, type ChaosKafka } from './kafka-tools';

/** The emails an order in a final status must have caused. */
export function expectedEmails(status: string, wasConfirmed: boolean): string[] {
  switch (status) {
    case 'DELIVERED':
      return ['ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'];
    case 'REJECTED':
      return ['ORDER_REJECTED'];
    case 'CANCELLED':
      return wasConfirmed ? ['ORDER_CONFIRMED', 'ORDER_CANCELLED'] : ['ORDER_CANCELLED'];
    default:
      return [];
  }
}

/** Orders among `ids` not in a final status yet. */
export async function notFinal(shop: Shop, ids: string[]): Promise<Array<{ id: string; status: string }>> {
  const rows = await shop.query<{ id: string; status: string }>('order', `SELECT id, status FROM orders WHERE id = ANY($1)`, [ids]);
  const found = new Map(rows.map((r) => [r.id, r.status]));
  return ids.filter((id) => !SETTLED.includes(found.get(id) ?? 'MISSING')).map((id) => ({ id, status: found.get(id) ?? 'MISSING' }));
}

/**
 * Emails missing for final orders among `ids`: every email its status calls for must be SENT
 * and in the SMTP sink (matched by Message-ID). Orders whose address the server refuses are
 * checked apart (`refusedDomain`): none of their emails may be sent.
 */
export async function missingEmails(shop: Shop, ids: string[], refusedDomain: string): Promise<string[]> {
  const orders = await shop.query<{ id: string; status: string; confirmed: boolean; email: string }>(
    'order',
    `SELECT o.id, o.status, o.customer_email AS email,
            EXISTS (SELECT 1 FROM order_event e WHERE e.order_id = o.id AND e.type = 'OrderConfirmed') AS confirmed
       FROM orders o WHERE o.id = ANY($1)`,
    [ids],
  );
  const rows = await shop.query<{ order_id: string; kind: string; status: string; message_id: string }>(
    'notification',
    `SELECT order_id, kind, status, message_id FROM notification WHERE order_id = ANY($1)`,
    [ids],
  );
  const inSink = new Set((await shop.emails()).map((e) => e.MessageID.replace(/^<|>$/g, '')));
  const byOrder = new Map<string, Map<string, { status: string; messageId: string }>>();
  for (const r of rows) {
    const m = byOrder.get(r.order_id) ?? new Map();
    m.set(r.kind, { status: r.status, messageId: r.message_id.replace(/^<|>$/g, '') });
    byOrder.set(r.order_id, m);
  }
  const missing: string[] = [];
  for (const o of orders) {
    const kinds = byOrder.get(o.id) ?? new Map();
    if (o.email.endsWith(`@${refusedDomain}`)) {
      for (const [kind, n] of kinds) if (n.status === 'SENT') missing.push(`${o.id}: ${kind} was sent to a refused address`);
      continue;
    }
    for (const kind of expectedEmails(o.status, o.confirmed)) {
      const n = kinds.get(kind);
      if (!n) missing.push(`${o.id} (${o.status}): no ${kind} email queued`);
      else if (n.status !== 'SENT') missing.push(`${o.id} (${o.status}): ${kind} email ${n.status}`);
      else if (!inSink.has(n.messageId)) missing.push(`${o.id} (${o.status}): ${kind} email marked SENT but not in the SMTP sink`);
    }
  }
  return missing;
}

/** The dead-letter topics must hold exactly the poison injected so far, and nothing else. */
export async function deadLetterProblems(kafka: ChaosKafka, expected: Record<string, number>): Promise<string[]> {
  const problems: string[] = [];
  const held = await kafka.deadLetters();
  for (const topic of CONSUMED_TOPICS.map(deadLetterTopic)) {
    const h = held[topic];
    const want = expected[topic] ?? 0;
    if (h.poison !== want) problems.push(`${topic}: ${h.poison} injected poison message(s), expected ${want}`);
    if (h.other > 0) problems.push(`${topic}: ${h.other} message(s) that were not injected poison (${[...new Set(h.otherErrors)].slice(0, 3).join('; ')})`);
  }
  return problems;
}

/** Stock, money, shipments, no email twice: the libs/testing invariants over the whole shop. */
export async function invariantProblems(shop: Shop): Promise<string[]> {
  return (await checkInvariants(shop)).problems;
}
