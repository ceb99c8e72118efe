import { Headers, OrderPlacedV1, ReserveStockV1 } from '@shop/contracts';
import { PoisonMessageError } from '../errors';
import { causedBy, createEnvelope, decodeEnvelope, encodeEnvelope } from './envelope';
import { MessageValidator } from './message-validator';

const order = {
  orderId: 'o-1',
  customerId: 'c-1',
  customerEmail: 'ada@example.test',
  customerName: 'Ada',
  lines: [{ sku: 'MUG-LOGO', name: 'Mug', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'EUR',
  placedAt: '2026-11-23T12:00:00.000Z',
};

/** What kafkajs hands a consumer: Buffers everywhere. */
const asKafka = (r: ReturnType<typeof encodeEnvelope>) => ({
  key: Buffer.from(r.key),
  value: Buffer.from(r.value),
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)])),
});

describe('CloudEvents envelope on Kafka', () => {
  it('encodes binary mode: ce_* headers, JSON value, aggregate id as key', () => {
    const envelope = createEnvelope(OrderPlacedV1, order, 'order');
    const record = encodeEnvelope(envelope, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(record.key).toBe('o-1');
    expect(JSON.parse(record.value)).toEqual(order);
    expect(record.headers).toEqual({
      [Headers.id]: envelope.id,
      [Headers.type]: 'order.placed',
      [Headers.source]: 'order',
      [Headers.specVersion]: '1.0',
      [Headers.time]: envelope.time,
      [Headers.subject]: 'o-1',
      [Headers.contentType]: 'application/json',
      [Headers.dataVersion]: '1',
      [Headers.correlationId]: envelope.id,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('round-trips through Kafka buffers, keeping correlation and causation', () => {
    const placed = createEnvelope(OrderPlacedV1, order, 'order');
    const reserve = createEnvelope(ReserveStockV1, { orderId: 'o-1', lines: [{ sku: 'MUG-LOGO', quantity: 2 }] }, 'order', causedBy(placed));
    const decoded = decodeEnvelope(asKafka(encodeEnvelope(reserve)));
    expect(decoded).toEqual(reserve);
    expect(decoded.correlationId).toBe(placed.id);
    expect(decoded.causationId).toBe(placed.id);
  });

  it('calls a message that cannot be read poison, saying why', () => {
    const good = asKafka(encodeEnvelope(createEnvelope(OrderPlacedV1, order, 'order')));
    expect(() => decodeEnvelope({ ...good, value: Buffer.from('{not json') })).toThrow(/^INVALID_JSON: value is not JSON/);
    const { [Headers.id]: _id, ...noId } = good.headers;
    expect(() => decodeEnvelope({ ...good, headers: noId })).toThrow(new PoisonMessageError('MISSING_HEADER', 'header ce_id is missing'));
    expect(() => decodeEnvelope({ ...good, headers: { ...good.headers, 'content-type': Buffer.from('text/plain') } })).toThrow(
      /UNSUPPORTED_CONTENT_TYPE/,
    );
  });
});

describe('MessageValidator', () => {
  const validator = new MessageValidator();

  it('returns the contract of a valid message', () => {
    expect(validator.validate(createEnvelope(OrderPlacedV1, order, 'order'))).toBe(OrderPlacedV1);
  });

  it('rejects an unknown type or version, and data that breaks the schema, as poison', () => {
    const envelope = createEnvelope(OrderPlacedV1, order, 'order');
    expect(() => validator.validate({ ...envelope, version: 9 })).toThrow('UNKNOWN_TYPE: no contract for order.placed version 9');
    expect(() => validator.validate({ ...envelope, data: { ...order, totalCents: -1 } })).toThrow(
      'SCHEMA_INVALID: order.placed@1: /totalCents must be >= 0',
    );
  });

  it('reads tolerantly: a field the contract does not know (a newer producer) is dropped, not refused', () => {
    const envelope = createEnvelope(OrderPlacedV1, order, 'order');
    const newer = { ...envelope, data: { ...order, giftMessage: 'Happy birthday' } };
    expect(validator.validate(newer)).toBe(OrderPlacedV1);
    expect(newer.data).toEqual(order);
  });
});
