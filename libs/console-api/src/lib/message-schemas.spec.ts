import { MESSAGE_TYPE_PATTERN, subjectsOfType } from './message-schemas';

describe('subjectsOfType', () => {
  it('picks every version of the type, oldest first, and nothing of a type that merely starts the same', () => {
    const subjects = ['order.confirmed.v2', 'order.placed.v1', 'order.confirmed.v10', 'order.confirmed.v1', 'order.confirmed-late.v1', 'order.confirmed.vnext'];
    expect(subjectsOfType(subjects, 'order.confirmed')).toEqual(['order.confirmed.v1', 'order.confirmed.v2', 'order.confirmed.v10']);
    expect(subjectsOfType(subjects, 'order.cancelled')).toEqual([]);
  });

  it.each([
    ['order.confirmed', true],
    ['inventory.stock-reservation-failed', true],
    ['order', false],
    ['../subjects', false],
    ['Order.Confirmed', false],
  ])('a message type is %s: %s', (type, ok) => {
    expect(MESSAGE_TYPE_PATTERN.test(type)).toBe(ok);
  });
});
