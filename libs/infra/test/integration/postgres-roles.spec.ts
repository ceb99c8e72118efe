import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { infraContext, localTls, progressLogger, start, stop, type InfraContext } from '../../src';

/**
 * The local Postgres as libs/infra sets it up, in a temp run dir on a free port: each service signs
 * in as its own role with its password, owns its database only, and a cluster made before the roles
 * existed (tables owned by the superuser) is handed over on the next start.
 */
async function freePort(): Promise<number> {
  const server = await new Promise<Server>((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => done(s));
  });
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('libs/infra postgres: one role per service', () => {
  let runDir: string;
  let port: number;
  let ctx: InfraContext;

  // Over TLS, the server verified against the local CA, as every local client connects.
  const url = (user: string, password: string | undefined, database: string) =>
    `postgres://${user}${password === undefined ? '' : `:${password}`}@127.0.0.1:${port}/${database}?sslmode=verify-full&sslrootcert=${localTls(ctx.env)?.caFile}`;
  async function query<T>(connection: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: connection });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const superuser = (database: string) => url('postgres', undefined, database);

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'shop-pg-roles-it-'));
    chmodSync(runDir, 0o755); // the postgres user (as root) must reach its data dir
    port = await freePort();
    ctx = await infraContext({ env: { ...process.env, SHOP_RUN_DIR: runDir, PGPORT: String(port) }, log: progressLogger(Date.now(), (t) => process.stderr.write(t), (t) => process.stderr.write(t)) });
    await start(ctx, ['postgres']);
  }, 120_000);

  afterAll(async () => {
    await stop(ctx, ['postgres']).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }, 120_000);

  it.each(['order', 'inventory', 'payment', 'shipping', 'notification'])('shop_%s signs in with its password, owns its database, and nothing else', async (service) => {
    const own = `shop_${service}`;
    expect(await query(url(own, `${service}-local`, own), 'SELECT current_user AS who')).toEqual([{ who: own }]);
    const [owner] = await query<{ owner: string }>(superuser('postgres'), `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = '${own}'`);
    expect(owner).toEqual({ owner: own });
    await expect(query(url(own, undefined, own), 'SELECT 1')).rejects.toThrow(/password/);
    await expect(query(url(own, 'wrong', own), 'SELECT 1')).rejects.toThrow(`password authentication failed for user "${own}"`);
    const other = service === 'order' ? 'shop_payment' : 'shop_order';
    await expect(query(url(own, `${service}-local`, other), 'SELECT 1')).rejects.toThrow(`permission denied for database "${other}"`);
    const [role] = await query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(superuser('postgres'), `SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = '${own}'`);
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
  });

  it('hands a service the tables the superuser made in its database (a cluster from before the roles) on the next start', async () => {
    await query(superuser('shop_order'), 'CREATE TABLE legacy_order (id bigserial PRIMARY KEY, note text); CREATE VIEW legacy_view AS SELECT id FROM legacy_order; CREATE SEQUENCE legacy_seq');
    await expect(query(url('shop_order', 'order-local', 'shop_order'), 'INSERT INTO legacy_order (note) VALUES (1)')).rejects.toThrow('permission denied');

    await stop(ctx, ['postgres']);
    await start(ctx, ['postgres']);

    const owners = await query<{ name: string; owner: string }>(
      superuser('shop_order'),
      `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`,
    );
    expect(owners).toEqual(['legacy_order', 'legacy_order_id_seq', 'legacy_order_pkey', 'legacy_seq', 'legacy_view'].map((name) => ({ name, owner: 'shop_order' })));
    await query(url('shop_order', 'order-local', 'shop_order'), "INSERT INTO legacy_order (note) VALUES ('after'); SELECT nextval('legacy_seq')");
  }, 180_000);
});
