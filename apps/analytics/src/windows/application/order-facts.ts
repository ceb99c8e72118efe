import { Headers, OrderConfirmedV2, OrderRejectedV1 } from '@shop/contracts';
import { decodeEnvelope, headerStrings, MessageValidator, type ConsumedMessage } from '@shop/messaging';
import { reasonCode, type OrderFact } from '../domain/order-windows';

/** What an input message is to the windows: a fact, nothing (another type), or poison (for the DLQ). */
export type Reading = { fact: OrderFact } | { skipped: string } | { poison: Error };

const READ = new Set([OrderConfirmedV2, OrderRejectedV1].map((m) => `${m.type}@${m.version}`));

/**
 * Reads an order event into the fact the windows aggregate: `order.confirmed` v2 (revenue at its
 * `confirmedAt`) and `order.rejected` v1 (its reason code, at the CloudEvents time). Everything
 * else on the topic is skipped by its type and version headers, unread, v1 of order.confirmed
 * included (order sends v1 and v2 of each confirmation): what is not ours, poison or not, is for
 * its own consumers to judge. One of ours that is not a readable CloudEvent, or breaks its
 * contract, is poison.
 */
export class OrderFactReader {
  private readonly validator = new MessageValidator();

  read(message: ConsumedMessage): Reading {
    const headers = headerStrings(message);
    const id = `${headers[Headers.type] ?? '(no type)'}@${headers[Headers.dataVersion] ?? '(no version)'}`;
    if (!READ.has(id)) return { skipped: id };
    try {
      const envelope = decodeEnvelope(message);
      this.validator.validate(envelope);
      if (envelope.type === OrderConfirmedV2.type) {
        const data = envelope.data as OrderConfirmedV2;
        return { fact: { kind: 'confirmed', partition: message.partition, at: Date.parse(data.confirmedAt), currency: data.total.currency, amountCents: data.total.amountCents } };
      }
      const at = Date.parse(envelope.time);
      if (Number.isNaN(at)) return { poison: new Error(`ce_time ${envelope.time} is not a time`) };
      return { fact: { kind: 'rejected', partition: message.partition, at, reason: reasonCode((envelope.data as OrderRejectedV1).reason) } };
    } catch (error) {
      return { poison: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}
