import { Headers, OrderWindowUpdatedV1 } from '@shop/contracts';
import { MessageValidator, decodeEnvelope } from '@shop/messaging';
import type { OrderWindow } from '../domain/order-windows';
import { readWindowRecord, windowRecord } from './window-records';

const window: OrderWindow = {
  start: Date.parse('2026-12-07T12:34:00.000Z'),
  end: Date.parse('2026-12-07T12:35:00.000Z'),
  revenue: { USD: 999, EUR: 2598 },
  confirmed: 3,
  rejected: { OUT_OF_STOCK: 2, CARD_DECLINED: 1 },
  tooLate: 1,
  final: true,
};
const streamTimes = new Map([
  [1, Date.parse('2026-12-07T12:36:00.000Z')],
  [0, Date.parse('2026-12-07T12:35:40.000Z')],
]);

describe('window records', () => {
  it('writes a window keyed by its start, as a valid analytics.order-window-updated v1 CloudEvent with sorted lists', () => {
    const record = windowRecord(window, streamTimes);
    expect(record.topic).toBe('analytics.order-windows');
    expect(record.key).toBe('2026-12-07T12:34:00.000Z');
    expect(record.headers[Headers.type]).toBe(OrderWindowUpdatedV1.type);
    const envelope = decodeEnvelope({ key: record.key, value: record.value, headers: record.headers });
    expect(new MessageValidator().validate(envelope)).toBe(OrderWindowUpdatedV1);
    expect(envelope.data).toEqual({
      windowStart: '2026-12-07T12:34:00.000Z',
      windowEnd: '2026-12-07T12:35:00.000Z',
      revenue: [
        { currency: 'EUR', amountCents: 2598 },
        { currency: 'USD', amountCents: 999 },
      ],
      confirmed: 3,
      rejected: [
        { reason: 'CARD_DECLINED', count: 1 },
        { reason: 'OUT_OF_STOCK', count: 2 },
      ],
      tooLate: 1,
      final: true,
      streamTimes: [
        { partition: 0, streamTime: '2026-12-07T12:35:40.000Z' },
        { partition: 1, streamTime: '2026-12-07T12:36:00.000Z' },
      ],
    });
  });

  it('reads back the window and the stream times it was written with', () => {
    const record = windowRecord(window, streamTimes);
    expect(readWindowRecord({ key: record.key, value: record.value, headers: record.headers, partition: 0, offset: '5' })).toEqual({ window, streamTimes });
  });
});
