import { tcpSegments, tcpStreams } from './loopback-capture';

/** A pcap file (little-endian, Ethernet link type, as tcpdump writes for `lo`) of IPv4/TCP packets. */
function pcap(packets: Array<{ from: number; to: number; seq: number; payload: string }>, linkType = 1): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(linkType, 20);
  const records = packets.map(({ from, to, seq, payload }) => {
    const data = Buffer.from(payload);
    const ethernet = Buffer.alloc(14);
    ethernet.writeUInt16BE(0x0800, 12);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 20 + data.length, 2);
    ip[9] = 6;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(from, 0);
    tcp.writeUInt16BE(to, 2);
    tcp.writeUInt32BE(seq, 4);
    tcp[12] = 5 << 4;
    const frame = Buffer.concat([ethernet, ip, tcp, data]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

describe('reading a loopback capture', () => {
  it('finds a string a connection carried though it was split across segments, sent out of order and retransmitted', () => {
    const file = pcap([
      { from: 50000, to: 46012, seq: 1000, payload: 'customer alice@exa' },
      { from: 46012, to: 50000, seq: 7, payload: 'ok' },
      { from: 50000, to: 46012, seq: 1022, payload: '.com street' }, // before its predecessor
      { from: 50000, to: 46012, seq: 1018, payload: 'mple.com st' }, // overlaps what follows
      { from: 50000, to: 46012, seq: 1018, payload: 'mple.com st' }, // retransmitted
    ]);
    const streams = tcpStreams(file, [46012]).map(({ serverPort, direction, bytes }) => ({ serverPort, direction, text: bytes.toString() }));
    expect(streams).toEqual([
      { serverPort: 46012, direction: 'to-server', text: 'customer alice@example.com street' },
      { serverPort: 46012, direction: 'to-client', text: 'ok' },
    ]);
  });

  it('keeps only the connections to the ports asked for, and follows sequence numbers across their wrap', () => {
    const file = pcap([
      { from: 50001, to: 46010, seq: 0xfffffffe, payload: 'ab' },
      { from: 50001, to: 46010, seq: 0, payload: 'cd' },
      { from: 50002, to: 5432, seq: 1, payload: 'elsewhere' },
    ]);
    expect(tcpStreams(file, [46010]).map((s) => s.bytes.toString())).toEqual(['abcd']);
    expect(tcpSegments(file)).toHaveLength(3);
  });

  it('refuses what it cannot read', () => {
    expect(() => tcpSegments(Buffer.from('not a capture at all, no'))).toThrow(/^not a pcap file: magic /);
    expect(() => tcpSegments(pcap([], 228))).toThrow('pcap link type 228 is not one of 1, 113, 276');
  });
});
