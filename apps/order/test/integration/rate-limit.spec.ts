import { httpGet, infra, recreateDatabase, startServiceProcess, type ServiceProcess } from '@shop/testing';
import { publishCatalog } from './support/catalog';

/**
 * The order API's rate limit per client address, on the built service against the real Postgres
 * and Kafka, with a limit of 3 a minute: the 4th request to the API is refused with 429
 * problem+json and Retry-After; health and metrics are not limited.
 */
describe('order: rate limit per client on the API', () => {
  let proc: ServiceProcess;

  beforeAll(async () => {
    const databaseUrl = await recreateDatabase('test_order_rate_limit');
    await publishCatalog(infra.kafkaBrokers);
    proc = startServiceProcess('order', { PORT: '3191', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('order'), ORDER_RATE_LIMIT_PER_MINUTE: '3', OTEL_SDK_DISABLED: 'true' });
    await proc.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await proc?.stop('SIGKILL');
  });

  it('answers 429 problem+json with Retry-After past the limit, counting /orders and /products together', async () => {
    const statuses = [];
    for (const path of ['/products', '/orders?customerId=alice', '/products']) statuses.push((await fetch(`${proc.url}${path}`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await fetch(`${proc.url}/orders?customerId=alice`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'REQUEST.TOO_MANY' });
  });

  it('never limits health and metrics (probes and scrapes)', async () => {
    for (let i = 0; i < 10; i++) expect((await httpGet(`${proc.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${proc.url}/metrics`)).status).toBe(200);
  });
});
