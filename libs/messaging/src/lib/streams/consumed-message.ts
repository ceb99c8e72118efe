import type { IncomingKafkaMessage } from '../envelope/envelope';

/** A record as a stream processor receives it: the message, where it was read, and its offset. */
export interface ConsumedMessage extends IncomingKafkaMessage {
  partition: number;
  offset: string;
}

/** The records of one partition, as fetched together: a stream processor handles them in one transaction. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

/** A record a stream processor sends, and to which topic (a KafkaRecord, or a message passed on as it came). */
export interface OutgoingRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}
