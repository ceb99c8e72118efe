import { Headers } from '@shop/contracts';
import { DeadLetterHeaders } from '../consumer/dead-letter';
import { NotReplayableError, replayedMessage, summarizeDeadLetter, type DeadLetterRecord } from './dead-letter-record';

/** A ChargePayment dead-lettered by payment's consumer after five attempts, as MessageConsumer writes it. */
const record: DeadLetterRecord = {
  dlqTopic: 'payment.commands.dlq',
  partition: 2,
  offset: '17',
  key: Buffer.from('order-1'),
  value: Buffer.from('{"orderId":"order-1"}'),
  headers: {
    [Headers.id]: 'msg-1',
    [Headers.type]: 'payment.charge',
    [Headers.source]: 'order',
    traceparent: '00-abc-def-01',
    [DeadLetterHeaders.error]: 'simulated failure (fault switch: failureRate)',
    [DeadLetterHeaders.errorClass]: 'SimulatedFault',
    [DeadLetterHeaders.originalTopic]: 'payment.commands',
    [DeadLetterHeaders.originalPartition]: '1',
    [DeadLetterHeaders.originalOffset]: '40',
    [DeadLetterHeaders.consumer]: 'payment',
    [DeadLetterHeaders.attempts]: '5',
    [DeadLetterHeaders.failedAt]: '2026-12-02T17:00:00.000Z',
  },
};

describe('summarizeDeadLetter', () => {
  it('reads where it came from, what it is and why it failed from the dlq-* and ce_* headers', () => {
    expect(summarizeDeadLetter(record)).toEqual({
      dlqTopic: 'payment.commands.dlq',
      partition: 2,
      offset: '17',
      key: 'order-1',
      type: 'payment.charge',
      messageId: 'msg-1',
      originalTopic: 'payment.commands',
      originalPartition: 1,
      originalOffset: '40',
      consumer: 'payment',
      errorClass: 'SimulatedFault',
      error: 'simulated failure (fault switch: failureRate)',
      attempts: 5,
      failedAt: '2026-12-02T17:00:00.000Z',
    });
  });

  it('says null for what a hand-made message lacks, and for a number that is not one', () => {
    const summary = summarizeDeadLetter({
      ...record,
      key: null,
      headers: { [DeadLetterHeaders.attempts]: 'many' },
    });
    expect(summary).toMatchObject({
      key: null,
      type: null,
      messageId: null,
      originalTopic: null,
      originalPartition: null,
      attempts: null,
      error: null,
    });
  });
});

describe('replayedMessage', () => {
  it('goes to the original topic with the original key, value and headers, without any dlq-* header', () => {
    const message = replayedMessage(record);
    expect(message.topic).toBe('payment.commands');
    expect(message.key).toBe(record.key);
    expect(message.value).toBe(record.value);
    expect(message.headers).toEqual({
      [Headers.id]: 'msg-1',
      [Headers.type]: 'payment.charge',
      [Headers.source]: 'order',
      traceparent: '00-abc-def-01',
    });
  });

  it.each([
    ['the topic its DLQ belongs to', 'payment.commands.dlq', 'payment.commands', 'payment.commands'],
    ['another topic (a planted record)', 'payment.commands.dlq', 'inventory.catalog', 'payment.commands.dlq partition 2, offset 17 names inventory.catalog as its origin (dlq-original-topic), but payment.commands.dlq holds dead letters of payment.commands only: not replayed'],
    ['its own DLQ', 'payment.commands.dlq', 'payment.commands.dlq', 'payment.commands.dlq partition 2, offset 17 names payment.commands.dlq as its origin (dlq-original-topic), but payment.commands.dlq holds dead letters of payment.commands only: not replayed'],
    ['a topic whose name only starts alike', 'payment.commands.dlq', 'payment.commands.x', 'payment.commands.dlq partition 2, offset 17 names payment.commands.x as its origin (dlq-original-topic), but payment.commands.dlq holds dead letters of payment.commands only: not replayed'],
    ['anything, read from a topic that is no DLQ', 'payment.commands', 'payment.commands', 'payment.commands is not a dead-letter topic (<topic>.dlq): nothing is replayed from it'],
    ['anything, read from a topic named just .dlq', '.dlq', '', '.dlq is not a dead-letter topic (<topic>.dlq): nothing is replayed from it'],
  ])('a record whose header names %s (read from %s)', (_case, dlqTopic, named, expected) => {
    const planted = { ...record, dlqTopic, headers: { ...record.headers, [DeadLetterHeaders.originalTopic]: named } };
    const outcome = (() => {
      try {
        return replayedMessage(planted).topic;
      } catch (error) {
        expect(error).toBeInstanceOf(NotReplayableError);
        return (error as Error).message;
      }
    })();
    expect(outcome).toBe(expected);
  });

  it('refuses a record that does not say where it came from', () => {
    const { [DeadLetterHeaders.originalTopic]: _, ...headers } = record.headers;
    expect(() => replayedMessage({ ...record, headers })).toThrow(NotReplayableError);
    expect(() => replayedMessage({ ...record, headers })).toThrow('offset 17 has no dlq-original-topic header');
  });
});
