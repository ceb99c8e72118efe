import { httpGet, infra, recreateDatabase, startServiceProcess, type ServiceProcess } from '@shop/testing';
import { publishCatalog } from './support/catalog';

/**
 * The order API's rate limit, on the built service against the real Postgres and Kafka, with a
 * limit of 3 a minute: the 4th request from one client (here anonymous, on the public catalog, so
 * counted per address; signed-in requests count per customer, see rate-limit.spec.ts) is refused
 * with 429 problem+json and Retry-After; health and metrics are not limited.
 */
describe('order: rate limit per client on the API', () => {
  let proc: ServiceProcess;

  beforeAll(async () => {
    const databaseUrl = await recreateDatabase('test_order_rate_limit');
    await publishCatalog(infra.kafkaBrokers);
    proc = startServiceProcess('order', { PORT: '3191', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('order'), OIDC_ISSUER: infra.oidcIssuer(), ORDER_RATE_LIMIT_PER_MINUTE: '3', OTEL_SDK_DISABLED: 'true' });
    await proc.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await proc?.stop('SIGKILL');
  });

  it('answers 429 problem+json with Retry-After past the limit', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${proc.url}/products`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await fetch(`${proc.url}/products`);
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
