import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { infra } from './infra';

/**
 * A TCP pass-through to the real Postgres that the test can cut, as a restart or a network
 * fault would: cut() drops every open connection and resets each new one (counted) until
 * restore().
 */
export class CuttablePostgres {
  refused = 0;
  private cut_ = false;
  private readonly open = new Set<Socket>();
  private readonly server: Server = createServer((client) => {
    if (this.cut_) {
      this.refused++;
      return void client.resetAndDestroy();
    }
    const upstream = connect(infra.pgPort, '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      this.open.add(a);
      a.on('close', () => (this.open.delete(a), b.destroy()));
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });

  /** Listens on `port` (default: any free one) and returns it. */
  async listen(port = 0): Promise<number> {
    await new Promise<void>((done, fail) => {
      this.server.once('error', fail);
      this.server.listen(port, '127.0.0.1', () => (this.server.off('error', fail), done()));
    });
    return (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.cut_ = true;
    for (const socket of this.open) socket.resetAndDestroy();
  }

  restore(): void {
    this.cut_ = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((done) => this.server.close(() => done()));
  }
}
