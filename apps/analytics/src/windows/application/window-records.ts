import { OrderWindowUpdatedV1 } from '@shop/contracts';
import { createEnvelope, decodeEnvelope, encodeEnvelope, type ConsumedMessage, type OutgoingRecord } from '@shop/messaging';
import type { OrderWindow } from '../domain/order-windows';

/** The wire form of a window (ISO times, sorted lists), and the stream times it was written with. */
export function windowMessage(window: OrderWindow, streamTimes: ReadonlyMap<number, number>): OrderWindowUpdatedV1 {
  return {
    windowStart: new Date(window.start).toISOString(),
    windowEnd: new Date(window.end).toISOString(),
    revenue: Object.entries(window.revenue)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, amountCents]) => ({ currency, amountCents })),
    confirmed: window.confirmed,
    rejected: Object.entries(window.rejected)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([reason, count]) => ({ reason, count })),
    tooLate: window.tooLate,
    final: window.final,
    streamTimes: [...streamTimes.entries()].sort(([a], [b]) => a - b).map(([partition, time]) => ({ partition, streamTime: new Date(time).toISOString() })),
  };
}

/** A window as the record for its compacted topic: key = its start. */
export function windowRecord(window: OrderWindow, streamTimes: ReadonlyMap<number, number>): OutgoingRecord {
  const message = windowMessage(window, streamTimes);
  return { topic: OrderWindowUpdatedV1.topic, ...encodeEnvelope(createEnvelope(OrderWindowUpdatedV1, message, 'analytics')) };
}

/** A record of the topic read back: the window and the stream times it carries. */
export function readWindowRecord(message: ConsumedMessage): { window: OrderWindow; streamTimes: Map<number, number> } {
  const data = decodeEnvelope(message).data as OrderWindowUpdatedV1;
  return {
    window: {
      start: Date.parse(data.windowStart),
      end: Date.parse(data.windowEnd),
      revenue: Object.fromEntries(data.revenue.map((r) => [r.currency, r.amountCents])),
      confirmed: data.confirmed,
      rejected: Object.fromEntries(data.rejected.map((r) => [r.reason, r.count])),
      tooLate: data.tooLate,
      final: data.final,
    },
    streamTimes: new Map(data.streamTimes.map((s) => [s.partition, Date.parse(s.streamTime)])),
  };
}
