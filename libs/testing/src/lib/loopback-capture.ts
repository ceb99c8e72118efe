import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { waitFor } from './service-process';

/**
 * What crosses the loopback interface on some TCP ports, captured for real with tcpdump (Debian's,
 * installed by scripts/infra/provision.sh tcpdump), then read back as byte streams: one per
 * direction of each connection, its segments put in sequence order (retransmissions once), so a
 * string that a connection carried is found even when it was split across segments.
 */
export interface TcpStream {
  /** The port of `ports` the connection was made to. */
  serverPort: number;
  /** client -> server or server -> client. */
  direction: 'to-server' | 'to-client';
  bytes: Buffer;
}

interface Segment {
  key: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  payload: Buffer;
}

/** Link-layer header lengths of the link types a capture on Linux's `lo` (or `any`) has. */
const LINK_HEADER: Record<number, number> = { 1: 14, 113: 16, 276: 20 };

/**
 * The TCP segments with a payload in a pcap file's contents (IPv4 only: everything here is on
 * 127.0.0.1). Throws on a file that is not pcap or a link type it does not know.
 */
export function tcpSegments(pcap: Buffer): Segment[] {
  if (pcap.length < 24) throw new Error(`not a pcap file: ${pcap.length} bytes`);
  const magic = pcap.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && pcap.readUInt32BE(0) !== 0xa1b2c3d4 && pcap.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`not a pcap file: magic ${magic.toString(16)}`);
  const u32 = (at: number) => (little ? pcap.readUInt32LE(at) : pcap.readUInt32BE(at));
  const linkType = u32(20) & 0xfffffff;
  const link = LINK_HEADER[linkType];
  if (link === undefined) throw new Error(`pcap link type ${linkType} is not one of ${Object.keys(LINK_HEADER).join(', ')}`);
  const segments: Segment[] = [];
  for (let at = 24; at + 16 <= pcap.length; ) {
    const captured = u32(at + 8);
    const frame = pcap.subarray(at + 16, at + 16 + captured);
    at += 16 + captured;
    const ip = frame.subarray(link);
    if (ip.length < 20 || ip[0] >> 4 !== 4 || ip[9] !== 6) continue; // IPv4 carrying TCP only
    const ipEnd = Math.min(ip.length, ip.readUInt16BE(2));
    const tcp = ip.subarray((ip[0] & 0x0f) * 4, ipEnd);
    if (tcp.length < 20) continue;
    const payload = tcp.subarray((tcp[12] >> 4) * 4);
    if (payload.length === 0) continue;
    const src = `${ip.subarray(12, 16).join('.')}:${tcp.readUInt16BE(0)}`;
    const dst = `${ip.subarray(16, 20).join('.')}:${tcp.readUInt16BE(2)}`;
    segments.push({ key: `${src}>${dst}`, srcPort: tcp.readUInt16BE(0), dstPort: tcp.readUInt16BE(2), seq: tcp.readUInt32BE(4), payload: Buffer.from(payload) });
  }
  return segments;
}

/**
 * Each direction of each connection to one of `ports` as one byte stream: segments in sequence
 * order (relative to the first seen, modulo 2^32), a retransmitted byte taken once, a gap (a
 * connection captured from its middle, or a lost packet) closed up.
 */
export function tcpStreams(pcap: Buffer, ports: readonly number[]): TcpStream[] {
  const flows = new Map<string, Segment[]>();
  for (const s of tcpSegments(pcap)) {
    if (!ports.includes(s.srcPort) && !ports.includes(s.dstPort)) continue;
    flows.set(s.key, [...(flows.get(s.key) ?? []), s]);
  }
  return [...flows.values()].map((segments) => {
    const origin = segments[0].seq;
    const ordered = segments.map((s) => ({ at: (s.seq - origin) >>> 0, payload: s.payload })).sort((a, b) => a.at - b.at);
    const parts: Buffer[] = [];
    let next = 0;
    for (const { at, payload } of ordered) {
      if (at + payload.length <= next) continue; // all of it seen already
      parts.push(payload.subarray(Math.max(0, next - at)));
      next = at + payload.length;
    }
    const { srcPort, dstPort } = segments[0];
    const toServer = ports.includes(dstPort);
    return { serverPort: toServer ? dstPort : srcPort, direction: toServer ? 'to-server' : 'to-client', bytes: Buffer.concat(parts) } satisfies TcpStream;
  });
}

/**
 * tcpdump on `lo`, writing every TCP packet to or from `ports` into `file` as it comes (-U), until
 * stop(). start() resolves once tcpdump says it is listening, so nothing sent after it is missed.
 */
export class LoopbackCapture {
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly file: string,
    readonly ports: readonly number[],
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static async start(file: string, ports: readonly number[], tcpdump = '/usr/bin/tcpdump'): Promise<LoopbackCapture> {
    const filter = `tcp and (${ports.map((p) => `port ${p}`).join(' or ')})`;
    // -B: a kernel buffer large enough that a burst is not dropped; -s 0: whole packets;
    // --immediate-mode: each packet handed over as it comes, not in blocks; -Z: stay the user we
    // are (as root, Debian's tcpdump would write as the user tcpdump, which may not reach `file`'s dir).
    const args = ['-i', 'lo', '-n', '-U', '--immediate-mode', '-s', '0', '-B', '16384', '-Z', userInfo().username, '-w', file, filter];
    const child = spawn(tcpdump, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const capture = new LoopbackCapture(child, file, ports);
    await new Promise<void>((resolve, reject) => {
      const failed = (why: string) => reject(new Error(`tcpdump did not start (${why}): ${capture.stderr.trim()}`));
      child.once('error', (error) => failed(error.message));
      child.once('exit', (code) => failed(`exit ${code}`));
      child.stderr?.on('data', () => {
        if (/listening on lo/.test(capture.stderr)) resolve();
      });
    });
    child.removeAllListeners('exit');
    return capture;
  }

  /**
   * Resolves once everything sent before it is in the file: a marker sent to `port` (one of the
   * watched ports, in a connection of its own) has been written. A packet still on its way to
   * tcpdump when it is stopped would be lost; so settle, then stop.
   */
  async settle(port: number, timeoutMs = 20_000): Promise<void> {
    const marker = `loopback-capture-marker-${randomUUID()}`;
    await new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.end(marker));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.resume();
    });
    await waitFor(`the capture to hold the marker sent to port ${port}`, async () => readFileSync(this.file).includes(marker), timeoutMs, 100);
  }

  /** Stops tcpdump (SIGINT: it flushes and reports) and resolves with what the kernel dropped, if anything. */
  async stop(): Promise<{ captured: number; dropped: number }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGINT');
      await exited;
    }
    const count = (what: string) => Number(new RegExp(`([0-9]+) packets? ${what}`).exec(this.stderr)?.[1] ?? NaN);
    return { captured: count('captured'), dropped: count('dropped by kernel') };
  }

  /** The captured streams (after stop()). */
  streams(): TcpStream[] {
    return tcpStreams(readFileSync(this.file), this.ports);
  }
}
