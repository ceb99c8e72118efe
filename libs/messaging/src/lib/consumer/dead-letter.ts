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

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;
