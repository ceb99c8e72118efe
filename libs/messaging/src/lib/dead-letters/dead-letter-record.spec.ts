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

  it('refuses a record that does not say where it came from', () => {
    const { [DeadLetterHeaders.originalTopic]: _, ...headers } = record.headers;
    expect(() => replayedMessage({ ...record, headers })).toThrow(NotReplayableError);
    expect(() => replayedMessage({ ...record, headers })).toThrow('offset 17 has no dlq-original-topic header');
  });
});
