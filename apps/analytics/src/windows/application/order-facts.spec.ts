import { OrderConfirmedV1, OrderConfirmedV2, OrderRejectedV1, OrderShippedV1, type MessageDefinition } from '@shop/contracts';
import { createEnvelope, encodeEnvelope, type ConsumedMessage } from '@shop/messaging';
import { OrderFactReader } from './order-facts';

const customer = { id: 'alice', email: 'alice@example.test', name: 'Alice' };

function message<T>(definition: MessageDefinition<T>, data: T, time?: string): ConsumedMessage {
  const envelope = { ...createEnvelope(definition, data, 'order'), ...(time ? { time } : {}) };
  const record = encodeEnvelope(envelope);
  return { key: record.key, value: record.value, headers: record.headers, partition: 2, offset: '17' };
}

describe('OrderFactReader', () => {
  const reader = new OrderFactReader();

  it('reads order.confirmed v2 as revenue in its currency at its confirmedAt', () => {
    const confirmed = message(OrderConfirmedV2, {
      orderId: 'o-1',
      customer,
      total: { amountCents: 2598, currency: 'EUR' },
      lines: [{ sku: 'MUG-LOGO', quantity: 2, unitPriceCents: 1299 }],
      confirmedAt: '2026-12-07T12:34:56.789Z',
    });
    expect(reader.read(confirmed)).toEqual({ fact: { kind: 'confirmed', partition: 2, at: Date.parse('2026-12-07T12:34:56.789Z'), currency: 'EUR', amountCents: 2598 } });
  });

  it('reads order.rejected v1 as its reason code at the CloudEvents time', () => {
    const rejected = message(OrderRejectedV1, { orderId: 'o-2', customerId: 'alice', customerEmail: 'alice@example.test', customerName: 'Alice', reason: 'OUT_OF_STOCK: MUG-LOGO' }, '2026-12-07T12:00:01.000Z');
    expect(reader.read(rejected)).toEqual({ fact: { kind: 'rejected', partition: 2, at: Date.parse('2026-12-07T12:00:01.000Z'), reason: 'OUT_OF_STOCK' } });
  });

  it('skips order.confirmed v1 (the same confirmation as its v2) and the other order events', () => {
    expect(reader.read(message(OrderConfirmedV1, { orderId: 'o-1', customerId: 'alice', customerEmail: 'alice@example.test', customerName: 'Alice', totalCents: 100, currency: 'EUR' }))).toEqual({ skipped: 'order.confirmed@1' });
    expect(reader.read(message(OrderShippedV1, { orderId: 'o-1', customerId: 'alice', customerEmail: 'alice@example.test', customerName: 'Alice' } as never))).toEqual({ skipped: 'order.shipped@1' });
  });

  it('skips what has no type or version headers: not its message to judge', () => {
    const confirmed = message(OrderRejectedV1, { orderId: 'o-2', customerId: 'alice', customerEmail: 'alice@example.test', customerName: 'Alice', reason: 'CARD_DECLINED' });
    expect(reader.read({ ...confirmed, headers: {}, value: 'not json' })).toEqual({ skipped: '(no type)@(no version)' });
  });

  it('calls a message of its types poison when it is not JSON or breaks its contract', () => {
    const good = message(OrderRejectedV1, { orderId: 'o-2', customerId: 'alice', customerEmail: 'alice@example.test', customerName: 'Alice', reason: 'CARD_DECLINED' });
    const notJson = reader.read({ ...good, value: 'not json' });
    expect('poison' in notJson && notJson.poison.message).toMatch(/not JSON/);
    const invalid = reader.read({ ...good, value: JSON.stringify({ orderId: 'o-2', reason: 'CARD_DECLINED' }) });
    expect('poison' in invalid && invalid.poison.message).toMatch(/order\.rejected@1: .*customerId/);
  });
});
