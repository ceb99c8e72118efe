import { infra, queryDatabase, repoRoot, startInfra, stopInfra } from '@shop/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * docker/postgres/init-databases.sql (what compose and the kind walk-through run) on a real
 * Postgres of its own: each service's role signs in with its password, owns its database, can
 * create its tables there, and cannot even connect to another service's database.
 */
const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'];
const PORT = 25453;
const runDir = mkdtempSync(join(tmpdir(), 'database-roles-'));
const env = { PGPORT: String(PORT), SHOP_RUN_DIR: runDir };
// The superuser is trusted locally; a service's role needs its password (the file's local-only one). Over TLS, as every local client.
const tls = new URL(infra.databaseUrl('postgres', PORT)).search;
const url = (user: string, database: string) => `postgres://${user}${user === 'postgres' ? '' : `:${user.replace(/^shop_/, '')}-local`}@127.0.0.1:${PORT}/${database}${tls}`;

beforeAll(async () => {
  await startInfra(['postgres'], env);
  // The local infrastructure makes shop_<service> (role and database) for `npm run shop`; compose starts from an empty volume.
  for (const service of SERVICES) {
    await queryDatabase(url('postgres', 'postgres'), `DROP DATABASE IF EXISTS shop_${service}`);
    await queryDatabase(url('postgres', 'postgres'), `DROP ROLE IF EXISTS shop_${service}`);
  }
  // CREATE DATABASE cannot run inside a transaction: one statement at a time, as psql runs the file.
  const sql = readFileSync(join(repoRoot, 'docker/postgres/init-databases.sql'), 'utf8').replace(/^--.*$/gm, '');
  for (const statement of sql.split(';').map((s) => s.trim()).filter(Boolean)) await queryDatabase(url('postgres', 'postgres'), statement);
}, 120_000);

afterAll(async () => {
  try {
    await stopInfra(['postgres'], env);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

describe('docker/postgres/init-databases.sql on a real Postgres', () => {
  it.each(SERVICES)('shop_%s owns its database and can create its tables there', async (service) => {
    const [owner] = await queryDatabase<{ owner: string }>(
      url('postgres', 'postgres'),
      `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`,
      [`shop_${service}`],
    );
    expect(owner?.owner).toBe(`shop_${service}`);
    await queryDatabase(url(`shop_${service}`, `shop_${service}`), 'CREATE TABLE roles_check (id int)');
    expect(await queryDatabase(url(`shop_${service}`, `shop_${service}`), 'SELECT count(*)::int AS n FROM roles_check')).toEqual([{ n: 0 }]);
  });

  it.each(SERVICES)('shop_%s is refused without its password', async (service) => {
    await expect(queryDatabase(`postgres://shop_${service}:wrong@127.0.0.1:${PORT}/shop_${service}${tls}`, 'SELECT 1')).rejects.toThrow(`password authentication failed for user "shop_${service}"`);
  });

  it.each(SERVICES)("shop_%s cannot connect to any other service's database", async (service) => {
    for (const other of SERVICES.filter((s) => s !== service)) {
      await expect(queryDatabase(url(`shop_${service}`, `shop_${other}`), 'SELECT 1')).rejects.toThrow(`permission denied for database "shop_${other}"`);
    }
  });
});
