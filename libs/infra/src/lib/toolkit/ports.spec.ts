import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { portInUse, requirePortsFree, tcpExchange, tcpOpen } from './ports';

const listen = (server: Server) => new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)));
const close = (server: Server) => new Promise((done) => server.close(done));

describe('ports', () => {
  it('sees a listener on a port, and no longer once it is closed', async () => {
    const server = createServer();
    const port = await listen(server);
    expect(await portInUse(port)).toBe(true);
    expect(await tcpOpen(port)).toBe(true);
    await close(server);
    expect(await portInUse(port)).toBe(false);
    expect(await tcpOpen(port)).toBe(false);
  });

  it('names the port, the run dir and the holder when a port is taken', async () => {
    const server = createServer();
    const port = await listen(server);
    try {
      await expect(requirePortsFree('mailpit', [port], '/tmp/run')).rejects.toThrow(
        new RegExp(`^mailpit: port ${port} is already in use by something that is not this infra set \\(/tmp/run\\): .+\\. Stop it or choose other ports`),
      );
    } finally {
      await close(server);
    }
  });

  it('exchanges a request for the first bytes of the answer, or undefined when none comes', async () => {
    const server = createServer((socket) => socket.once('data', (request) => socket.end(Buffer.concat([Buffer.from([0, 0, 0, 6]), request.subarray(8, 12), Buffer.from([0, 0, 9, 9])]))));
    const port = await listen(server);
    try {
      const answer = await tcpExchange(port, Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]), 10);
      expect([...(answer ?? [])]).toEqual([0, 0, 0, 6, 0, 0, 0, 1, 0, 0]);
    } finally {
      await close(server);
    }
    expect(await tcpExchange(port, Buffer.from([1]), 10, 500)).toBeUndefined();
  });

  it('exchanges over TLS when given the CA, and gets nothing from a server another CA signed', async () => {
    // Two CAs made by the script the local infrastructure uses (docker/tls/make-certs.sh).
    const dir = mkdtempSync(join(tmpdir(), 'ports-tls-'));
    const script = resolve(__dirname, '../../../../../docker/tls/make-certs.sh');
    const owner = `${process.getuid?.()}:${process.getgid?.()}`;
    for (const ca of ['ours', 'other']) execFileSync('bash', [script, join(dir, ca), `probe/${owner}/IP:127.0.0.1`], { stdio: 'ignore' });
    const pem = (ca: string, file: string) => readFileSync(join(dir, ca, file), 'utf8');
    const server = createTlsServer({ key: pem('ours', 'probe.key'), cert: pem('ours', 'probe.pem') }, (socket) => socket.once('data', (request) => socket.end(request)));
    const port = await listen(server);
    try {
      expect((await tcpExchange(port, Buffer.from('ping'), 4, 3000, { ca: pem('ours', 'ca.pem') }))?.toString()).toBe('ping');
      expect(await tcpExchange(port, Buffer.from('ping'), 4, 3000, { ca: pem('other', 'ca.pem') })).toBeUndefined();
      expect(await tcpExchange(port, Buffer.from('ping'), 4, 1000)).toBeUndefined();
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
