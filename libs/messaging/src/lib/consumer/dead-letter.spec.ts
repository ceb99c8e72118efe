import { DeadLetterHeaders, deadLetterRecord } from './dead-letter';

describe('deadLetterRecord', () => {
  it('counts the attempts it is given (the consumer\'s, after its last one)', () => {
    const record = deadLetterRecord('payment.commands', { key: null, value: Buffer.from('{}'), partition: 0, offset: '7' }, 'payment', 'handler gave up', 5);
    expect(record.headers).toMatchObject({ [DeadLetterHeaders.attempts]: '5', [DeadLetterHeaders.error]: 'handler gave up', [DeadLetterHeaders.errorClass]: 'Error' });
  });

  it('passes the message on to <topic>.dlq as it came, with why and where from in the consumer\'s dead-letter headers', () => {
    const record = deadLetterRecord('order.events', { key: Buffer.from('o-1'), value: Buffer.from('not json'), headers: { ce_type: Buffer.from('order.confirmed') }, partition: 2, offset: '41' }, 'analytics', new SyntaxError('value is not JSON'));
    expect(record).toMatchObject({ topic: 'order.events.dlq', key: Buffer.from('o-1'), value: Buffer.from('not json') });
    expect(record.headers).toMatchObject({
      ce_type: 'order.confirmed',
      [DeadLetterHeaders.error]: 'value is not JSON',
      [DeadLetterHeaders.errorClass]: 'SyntaxError',
      [DeadLetterHeaders.originalTopic]: 'order.events',
      [DeadLetterHeaders.originalPartition]: '2',
      [DeadLetterHeaders.originalOffset]: '41',
      [DeadLetterHeaders.consumer]: 'analytics',
      [DeadLetterHeaders.attempts]: '1',
    });
  });
});
