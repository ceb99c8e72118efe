import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { InfraError, type Logger } from './log';
import { run, sleep } from './process';

/** Any TCP listener on that port, on any address (what `ss -ltn` shows: /proc/net/tcp{,6}, state 0A). */
export async function portInUse(port: number): Promise<boolean> {
  let tables: string[];
  try {
    tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFileSync(file, 'utf8'));
  } catch {
    return tcpOpen(port);
  }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return tables.some((table) =>
    table.split('\n').some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return state === '0A' && local?.endsWith(`:${hex}`);
    }),
  );
}

/** Who listens there, for error messages. */
export async function portOwner(port: number): Promise<string> {
  const { code, stdout } = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const lines = code === 0 ? stdout.split('\n').map((line) => line.trim().replace(/\s+/g, ' ')).filter(Boolean).slice(0, 3) : [];
  return lines.length ? lines.join('\n') : 'unknown process';
}

/** Fails clearly when something that is not ours holds one of the ports. */
export async function requirePortsFree(name: string, ports: readonly number[], runDir: string): Promise<void> {
  for (const port of ports) {
    if (await portInUse(port)) {
      throw new InfraError(
        `${name}: port ${port} is already in use by something that is not this infra set (${runDir}): ${await portOwner(port)}. Stop it or choose other ports (see scripts/infra/README.md).`,
      );
    }
  }
}

/** After a stop: the ports released within 10 s, else a warning naming the holder. */
export async function waitPortsFree(log: Logger, name: string, ports: readonly number[]): Promise<boolean> {
  let busy: number[] = [];
  for (let i = 0; i < 100; i++) {
    busy = [];
    for (const port of ports) if (await portInUse(port)) busy.push(port);
    if (busy.length === 0) return true;
    await sleep(100);
  }
  for (const port of busy) log.warn(`${name}: port ${port} still in use after stop: ${await portOwner(port)}`);
  return false;
}

/** Something accepts TCP connections on 127.0.0.1:<port>. */
export function tcpOpen(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

/**
 * Sends `request` to 127.0.0.1:<port> and resolves with the first `length` bytes of the answer
 * (undefined on error, close or timeout): a protocol-level probe. With `tls`, over TLS, the
 * server's certificate verified against that CA (PEM) for 127.0.0.1.
 */
export function tcpExchange(port: number, request: Buffer, length: number, timeoutMs = 3000, tls?: { ca: string }): Promise<Buffer | undefined> {
  return new Promise((done) => {
    const socket = tls ? tlsConnect({ host: '127.0.0.1', port, ca: tls.ca }) : connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (answer: Buffer | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      done(answer);
    };
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= length) finish(received.subarray(0, length));
    });
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
  });
}

/** A 2xx answer within 3 s. Node's fetch uses no proxy from the environment: loopback stays loopback. */
export async function httpOk(url: string, init: RequestInit = {}): Promise<boolean> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
