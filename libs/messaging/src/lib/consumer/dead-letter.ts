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

const DLQ_SUFFIX = '.dlq';

export const deadLetterTopic = (topic: string) => `${topic}${DLQ_SUFFIX}`;

/**
 * The topic whose dead letters `dlqTopic` holds, from its name (`payment.events` for
 * `payment.events.dlq`): the only topic its messages are replayed to. Null for a name that is no DLQ's.
 */
export function originOfDeadLetterTopic(dlqTopic: string): string | null {
  return dlqTopic.endsWith(DLQ_SUFFIX) && dlqTopic.length > DLQ_SUFFIX.length ? dlqTopic.slice(0, -DLQ_SUFFIX.length) : null;
}
