import { Headers } from '@shop/contracts';
import { DeadLetterHeaders } from '../consumer/dead-letter';
import { originOfDeadLetterTopic } from '../kafka/topics';

/** One message of a DLQ topic as it was read: where it sits, its key, value and headers (strings). */
export interface DeadLetterRecord {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** What the consumer wrote in a dead letter's headers about it: why it failed and where it came from. */
export interface DeadLetterSummary {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  type: string | null;
  messageId: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  consumer: string | null;
  errorClass: string | null;
  error: string | null;
  attempts: number | null;
  failedAt: string | null;
}

/** What a replay sends: the original topic, with the original key, value and headers. */
export interface ReplayedMessage {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DeadLetterHeaders));

/** The dead-lettering facts of one record; a header that is missing (a message produced by hand) is null. */
export function summarizeDeadLetter(record: DeadLetterRecord): DeadLetterSummary {
  const h = record.headers;
  const text = (name: string): string | null => h[name] ?? null;
  const integer = (name: string): number | null => (h[name] !== undefined && /^\d+$/.test(h[name]) ? Number(h[name]) : null);
  return {
    dlqTopic: record.dlqTopic,
    partition: record.partition,
    offset: record.offset,
    key: record.key?.toString() ?? null,
    type: text(Headers.type),
    messageId: text(Headers.id),
    originalTopic: text(DeadLetterHeaders.originalTopic),
    originalPartition: integer(DeadLetterHeaders.originalPartition),
    originalOffset: text(DeadLetterHeaders.originalOffset),
    consumer: text(DeadLetterHeaders.consumer),
    errorClass: text(DeadLetterHeaders.errorClass),
    error: text(DeadLetterHeaders.error),
    attempts: integer(DeadLetterHeaders.attempts),
    failedAt: text(DeadLetterHeaders.failedAt),
  };
}

/** Thrown for a dead letter that cannot be replayed (not in a DLQ, or it does not say, or lies about, where it came from). */
export class NotReplayableError extends Error {
  override readonly name = 'NotReplayableError';
}

/**
 * The message a replay publishes: the original key, value and headers, without the dlq-*
 * headers, to the topic the DLQ belongs to (its name without `.dlq`), and only there: a record
 * whose dlq-original-topic header names another topic is refused, since anyone allowed to write
 * a DLQ could plant one. Consumers dedupe by message id (ce_id), so replaying a message twice, or
 * one that was handled after all, has no second effect.
 */
export function replayedMessage(record: DeadLetterRecord): ReplayedMessage {
  const where = `${record.dlqTopic} partition ${record.partition}, offset ${record.offset}`;
  const topic = originOfDeadLetterTopic(record.dlqTopic);
  if (!topic) throw new NotReplayableError(`${record.dlqTopic} is not a dead-letter topic (<topic>.dlq): nothing is replayed from it`);
  const named = record.headers[DeadLetterHeaders.originalTopic];
  if (!named) throw new NotReplayableError(`${where} has no ${DeadLetterHeaders.originalTopic} header`);
  if (named !== topic) {
    throw new NotReplayableError(
      `${where} names ${named} as its origin (${DeadLetterHeaders.originalTopic}), but ${record.dlqTopic} holds dead letters of ${topic} only: not replayed`,
    );
  }
  const headers = Object.fromEntries(Object.entries(record.headers).filter(([name]) => !DLQ_HEADER_NAMES.has(name)));
  return { topic, key: record.key, value: record.value, headers };
}
