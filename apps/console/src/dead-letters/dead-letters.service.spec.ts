import { UnprocessableEntityException } from '@nestjs/common';
import { DeadLetterHeaders, type DeadLetterRecord } from '@shop/messaging';
import { assertReplayable } from './dead-letters.service';

describe('assertReplayable: the console replays a dead letter only to the topic its DLQ belongs to', () => {
  const record = (originalTopic: string): DeadLetterRecord => ({
    dlqTopic: 'payment.events.dlq',
    partition: 1,
    offset: '4',
    key: Buffer.from('order-1'),
    value: Buffer.from('{}'),
    headers: { ce_id: 'm-1', [DeadLetterHeaders.originalTopic]: originalTopic },
  });

  it('lets a record of payment.events.dlq that came from payment.events through', () => {
    expect(() => assertReplayable(record('payment.events'))).not.toThrow();
  });

  it('refuses, as a 422 naming both topics, a record planted with another origin', () => {
    const refusal = (() => {
      try {
        assertReplayable(record('inventory.catalog'));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(UnprocessableEntityException);
    expect((refusal as UnprocessableEntityException).getResponse()).toEqual({
      type: 'about:blank',
      title: 'Not replayable',
      status: 422,
      detail: 'payment.events.dlq partition 1, offset 4 names inventory.catalog as its origin (dlq-original-topic), but payment.events.dlq holds dead letters of payment.events only: not replayed',
    });
  });
});
