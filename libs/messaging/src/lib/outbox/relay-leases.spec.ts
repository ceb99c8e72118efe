import { fairShare } from './relay-leases';

describe('fairShare', () => {
  it('gives every shard a holder: ceil(shards / relays)', () => {
    expect(fairShare(1, 1)).toBe(1);
    expect(fairShare(1, 2)).toBe(1);
    expect(fairShare(2, 2)).toBe(1);
    expect(fairShare(4, 3)).toBe(2);
    expect(fairShare(4, 1)).toBe(4);
  });

  it('counts at least one relay (the caller itself)', () => {
    expect(fairShare(3, 0)).toBe(3);
  });
});
