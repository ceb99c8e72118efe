import { createServer, type Server } from 'node:http';
import { infra, recreateDatabase, startServiceProcess } from '@shop/testing';

describe('inventory: its port is taken', () => {
  let squatter: Server;

  beforeAll(async () => {
    // Something else answers 200 to everything on the port the service wants.
    squatter = createServer((_req, res) => res.end('not inventory'));
    await new Promise<void>((done) => squatter.listen(3199, '127.0.0.1', done));
  });

  afterAll(() => new Promise((done) => squatter.close(done)));

  it('exits with status 1 naming EADDRINUSE, and is never mistaken for ready', async () => {
    const proc = startServiceProcess('inventory', {
      PORT: '3199',
      DATABASE_URL: await recreateDatabase('test_inventory_port_taken'),
      ...infra.kafkaEnv('inventory'),
      OIDC_ISSUER: infra.oidcIssuer(),
    });
    await expect(proc.waitUntilReady(30_000)).rejects.toThrow(/inventory exited \(1\) before it was ready[\s\S]*EADDRINUSE/);
    expect(await proc.exited).toBe(1);
  });
});
