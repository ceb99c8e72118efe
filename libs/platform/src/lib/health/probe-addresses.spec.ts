import { ProbeAddresses, probeAddressList } from './probe-addresses';

describe('ProbeAddresses (HEALTH_DETAILS_FROM)', () => {
  it.each([
    // entries, peer, included
    [['127.0.0.1'], '127.0.0.1', true],
    [['127.0.0.1'], '127.0.0.2', false],
    [['10.0.0.0/8'], '10.244.3.17', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true], // an IPv4 caller of a dual-stack server
    [['10.0.0.0/8'], '::ffff:192.168.1.1', false],
    [['fd00::/8'], 'fd12:3456::1', true],
    [['fd00::/8'], 'fe80::1', false],
    [['::1'], '::1', true],
    [['0.0.0.0/0'], '203.0.113.9', true],
    [[], '127.0.0.1', false], // none configured: nobody reads details without a token
    [['127.0.0.1'], undefined, false], // a socket already gone
    [['127.0.0.1'], 'not-an-address', false],
  ])('%j lets %s read the details: %s', (entries, peer, included) => {
    expect(new ProbeAddresses(entries).includes(peer)).toBe(included);
  });

  it.each([
    ['example.org', 'is not an IP address or a CIDR block'],
    ['10.0.0.0/33', 'the prefix length must be 0 to 32'],
    ['fd00::/129', 'the prefix length must be 0 to 128'],
    ['10.0.0.0/x', 'the prefix length must be 0 to 32'],
    ['10.0.0.0/8/8', 'is not an IP address or a CIDR block'],
    ['10.0.0.256', 'is not an IP address or a CIDR block'],
  ])('refuses %s: %s', (entry, reason) => {
    expect(() => new ProbeAddresses([entry])).toThrow(reason);
  });

  it('reads a comma-separated setting, blanks ignored', () => {
    expect(probeAddressList(' 10.0.0.0/8, ,127.0.0.1 ')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(probeAddressList('')).toEqual([]);
  });
});
