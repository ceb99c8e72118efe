// Dead-lettering: the record a dead letter is (shared with the stream processors and read by the
// DLQ tools), and the consumer sending it.
import type { Logger } from '@nestjs/common';
import type { KafkaMessage, ProducerRecord } from 'kafkajs';
import { headerStrings, type IncomingKafkaMessage } from '../envelope/envelope';
import { isForged } from '../errors';
import { deadLetterTopic } from '../kafka/topics';

/** Headers added to a dead-lettered message: why it failed and where it came from. */
export const DeadLetterHeaders = {
  error: 'dlq-error',
  errorClass: 'dlq-error-class',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumer: 'dlq-consumer',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/** A message that could not be handled, where it was read. */
export interface FailedMessage extends IncomingKafkaMessage {
  partition: number;
  offset: string;
}

/**
 * The record that dead-letters `message` (read from `topic`): the message as it came, to
 * `<topic>.dlq`, with why it failed and where from in the dead-letter headers, which `npm run dlq`
 * lists and replays by. The consumer sends it after its last attempt; a stream processor in the
 * batch's transaction (one attempt).
 */
export function deadLetterRecord(topic: string, message: FailedMessage, consumer: string, error: unknown, attempts = 1) {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    topic: deadLetterTopic(topic),
    key: message.key,
    value: message.value,
    headers: {
      ...headerStrings(message),
      [DeadLetterHeaders.error]: err.message.slice(0, 2000),
      [DeadLetterHeaders.errorClass]: err.name,
      [DeadLetterHeaders.originalTopic]: topic,
      [DeadLetterHeaders.originalPartition]: String(message.partition),
      [DeadLetterHeaders.originalOffset]: message.offset,
      [DeadLetterHeaders.consumer]: consumer,
      [DeadLetterHeaders.attempts]: String(attempts),
      [DeadLetterHeaders.failedAt]: new Date().toISOString(),
    },
  };
}

/** The consumer's dead-lettering: says why (an error log line), then sends the record on the consumer's dead-letter producer. */
export class DeadLetterSender {
  constructor(
    private readonly consumer: string,
    private readonly logger: Logger,
    private readonly send: (record: ProducerRecord) => Promise<unknown>,
  ) {}

  /** Dead-letters `message` (read from `topic`'s `partition`) after `attempts` tries (0: poison, never tried). */
  async deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    this.logger.error({ topic, partition, offset: message.offset, err: err.message }, `${isForged(err) ? 'forged message: ' : ''}dead-lettering to ${deadLetterTopic(topic)}`);
    const { topic: dlq, ...record } = deadLetterRecord(topic, { ...message, partition }, this.consumer, err, attempts);
    await this.send({ topic: dlq, messages: [record] });
  }
}
