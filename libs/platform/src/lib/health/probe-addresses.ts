import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The addresses whose callers may read /health/ready's details without a token: the monitoring
 * network in a deployment (HEALTH_DETAILS_FROM, e.g. `10.0.0.0/8` or `127.0.0.1`). Matched on
 * the TCP peer address, never on a header a caller could write (X-Forwarded-For). An IPv4 caller
 * of a dual-stack server (`::ffff:10.1.2.3`) matches as its IPv4 address.
 */
export class ProbeAddresses {
  private readonly list = new BlockList();

  /** `entries`: addresses and CIDR blocks, IPv4 or IPv6. Throws naming the first one that is neither. */
  constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
      const bits = family === 'ipv4' ? 32 : 128;
      if (!family || extra !== undefined) throw new Error(`"${entry}" is not an IP address or a CIDR block (e.g. 10.0.0.0/8)`);
      if (prefix === undefined) {
        this.list.addAddress(address, family);
        continue;
      }
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) throw new Error(`"${entry}": the prefix length must be 0 to ${bits}`);
      this.list.addSubnet(address, Number(prefix), family);
    }
  }

  includes(peer: string | undefined): boolean {
    if (!peer || this.entries.length === 0) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer);
    if (mapped) return this.list.check(mapped[1], 'ipv4');
    if (isIPv4(peer)) return this.list.check(peer, 'ipv4');
    return isIPv6(peer) && this.list.check(peer, 'ipv6');
  }
}

/** Parses HEALTH_DETAILS_FROM: comma-separated addresses and CIDR blocks; empty means none. */
export const probeAddressList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
