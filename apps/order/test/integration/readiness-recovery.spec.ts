import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet, infra, recreateDatabase, startInfra, startServiceProcess, stopInfra, waitFor, type ServiceProcess } from '@shop/testing';
import { publishCatalog } from './support/catalog';

/**
 * Readiness follows the dependencies, and comes back without a restart. This suite runs its
 * own Postgres and Kafka (separate data dir and ports) so stopping them disturbs no other suite.
 */
describe('order: /health/ready follows Postgres and Kafka', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'shop-recovery-'));
  const privateInfra = {
    SHOP_RUN_DIR: runDir,
    PGPORT: '25432',
    KAFKA_PORT: '29092',
    KAFKA_CONTROLLER_PORT: '29093',
    SHOP_DATABASES: 'test_order_recovery',
  };
  let proc: ServiceProcess;

  const ready = () => httpGet(`${proc.url}/health/ready`);
  const waitForReady = (status: number, what: string) =>
    waitFor(what, async () => (await ready()).status === status, 90_000, 500);

  beforeAll(async () => {
    await startInfra(['postgres', 'kafka'], privateInfra);
    const databaseUrl = await recreateDatabase('test_order_recovery', 25432);
    proc = startServiceProcess('order', { PORT: '3110', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('order', 29092), OIDC_ISSUER: infra.oidcIssuer(), HEALTH_DETAILS_FROM: '127.0.0.1' });
  }, 180_000);

  afterAll(async () => {
    await proc?.stop('SIGKILL');
    await stopInfra(['postgres', 'kafka'], privateInfra);
    rmSync(runDir, { recursive: true, force: true });
  }, 120_000);

  it('is not ready before it holds the catalog: 503 naming inventory.catalog, then 200 once the catalog is published', async () => {
    await waitFor(
      '503 waiting for the catalog',
      async () => JSON.stringify((await ready()).body).includes('waiting for inventory.catalog'),
      90_000,
      500,
    );
    expect((await ready())).toMatchObject({
      status: 503,
      body: {
        status: 'error',
        error: { messaging: { status: 'down', group: 'order', message: 'waiting for inventory.catalog: nothing published there yet' } },
        info: { postgres: { status: 'up' }, kafka: { status: 'up' } },
      },
    });
    expect((await httpGet(`${proc.url}/products`)).body).toEqual([]);

    await publishCatalog('127.0.0.1:29092');
    await proc.waitUntilReady(60_000);
    // Ready means the copy is there: the first request after it sees the product.
    expect((await httpGet(`${proc.url}/products`)).body).toMatchObject([{ sku: 'TEST-MUG' }]);
    expect((await ready()).body).toMatchObject({
      status: 'ok',
      info: { messaging: { status: 'up', group: 'order', handles: expect.arrayContaining(['inventory.product-catalog-updated@1', 'inventory.stock-reserved@1']) } },
    });
  }, 180_000);

  it('turns 503 naming postgres while Postgres is down, and 200 again once it is back', async () => {
    await stopInfra(['postgres'], privateInfra);
    await waitForReady(503, '503 after stopping Postgres');
    const down = await ready();
    expect(down.body).toMatchObject({
      status: 'error',
      error: { postgres: { status: 'down' } },
      info: { kafka: { status: 'up' } },
    });

    await startInfra(['postgres'], privateInfra);
    await waitForReady(200, '200 after starting Postgres again');
    expect((await ready()).body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' } } });
    expect(proc.child.exitCode).toBeNull(); // same process: no restart needed
  }, 180_000);

  it('turns 503 naming kafka while Kafka is down, and 200 again once it is back', async () => {
    await stopInfra(['kafka'], privateInfra);
    await waitForReady(503, '503 after stopping Kafka');
    const down = await ready();
    expect(down.body).toMatchObject({
      status: 'error',
      error: { kafka: { status: 'down', message: expect.any(String) } },
      info: { postgres: { status: 'up' } },
    });

    await startInfra(['kafka'], privateInfra);
    await waitForReady(200, '200 after starting Kafka again');
    expect((await ready()).body).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' } } });
    expect(proc.child.exitCode).toBeNull();
  }, 180_000);
});
