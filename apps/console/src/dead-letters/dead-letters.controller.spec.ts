import { BadRequestException } from '@nestjs/common';
import { replayRequestOf } from './dead-letters.controller';

describe('replayRequestOf', () => {
  const topics = ['payment.commands.dlq', 'shipping.commands.dlq'];

  it('takes a dead letter of a topic the console reads', () => {
    expect(replayRequestOf({ dlqTopic: 'payment.commands.dlq', partition: 2, offset: '17' }, topics)).toEqual({ dlqTopic: 'payment.commands.dlq', partition: 2, offset: '17' });
  });

  it('refuses anything else with every problem named', () => {
    const refusal = (body: unknown) => {
      try {
        replayRequestOf(body as never, topics);
      } catch (e) {
        return ((e as BadRequestException).getResponse() as { detail: string }).detail;
      }
      throw new Error('accepted');
    };
    expect(refusal(undefined)).toBe(
      'dlqTopic must be one of payment.commands.dlq, shipping.commands.dlq; partition must be a whole number >= 0; offset must be a string of digits (Kafka offsets exceed JavaScript numbers)',
    );
    expect(refusal({ dlqTopic: 'payment.commands', partition: 0, offset: '1' })).toMatch(/^dlqTopic must be one of/);
    expect(
      refusal({
        dlqTopic: 'payment.commands.dlq',
        partition: 1.5,
        offset: '1',
      }),
    ).toBe('partition must be a whole number >= 0');
    expect(refusal({ dlqTopic: 'payment.commands.dlq', partition: 0, offset: 1 })).toMatch(/^offset must be/);
  });
});
