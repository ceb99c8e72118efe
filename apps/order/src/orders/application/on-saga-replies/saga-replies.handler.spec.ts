import type { ParticipantReply, SagaCommand } from '../../saga/order-saga';
import { forgery } from './saga-replies.handler';

describe('forgery: a saga reply is accepted only for the command it answers', () => {
  const charged: ParticipantReply = { type: 'PaymentCharged' };
  const declined: ParticipantReply = { type: 'PaymentDeclined', reason: 'CARD_DECLINED' };
  const dispatched: ParticipantReply = { type: 'ShipmentDispatched' };

  it.each<[string, ParticipantReply, string | null, SagaCommand | null, string | null]>([
    ['the charge it answers', charged, 'm-2', 'CHARGE_PAYMENT', null],
    ['a decline of the charge it answers', declined, 'm-2', 'CHARGE_PAYMENT', null],
    ['another command of the order', charged, 'm-1', 'RESERVE_STOCK', 'a PaymentCharged does not answer RESERVE_STOCK (its causation id)'],
    ['the compensation of its step', charged, 'm-5', 'REFUND_PAYMENT', 'a PaymentCharged does not answer REFUND_PAYMENT (its causation id)'],
    ['a message the order never sent', charged, 'm-9', null, 'its causation id m-9 is no command this order sent'],
    ['no causation id', charged, null, null, 'it has no causation id: a PaymentCharged must name the command it answers'],
    ['a cancel that came too late (the parcel left)', dispatched, 'm-6', 'CANCEL_SHIPMENT', null],
    ['no command: shipping\'s clock announcing the dispatch', dispatched, null, null, null],
    ['the schedule, not a cancel', dispatched, 'm-3', 'SCHEDULE_SHIPMENT', 'a ShipmentDispatched does not answer SCHEDULE_SHIPMENT (its causation id)'],
  ])('%s', (_case, reply, causationId, answered, expected) => {
    expect(forgery({ causationId }, reply, answered)).toBe(expected);
  });
});
