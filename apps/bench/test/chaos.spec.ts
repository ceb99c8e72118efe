import { randomUUID } from 'node:crypto';
import type { Shop } from '@shop/testing';
import { refusedDomainIsRefused, startChaosShop } from '../src/chaos/chaos-shop';
import type { ChaosKafka } from '../src/chaos/kafka-tools';
import { ChaosLoad } from '../src/chaos/load';
import { runScenario, scenarios } from '../src/chaos/scenarios';

/**
 * The short form of `npm run chaos`, in `npm test`: the same scenarios and checks on a private
 * shop, with two services killed instead of five, shorter outages and a lighter load (5 orders/s).
 * Each scenario is a test; they run in order on one shop, each after the previous one recovered.
 */
const RATE = 5;
const run = randomUUID().slice(0, 8);
const expectedDeadLetters: Record<string, number> = {};
let shop: Shop;
let kafka: ChaosKafka;

beforeAll(async () => {
  ({ shop, kafka } = await startChaosShop({
    servicePortBase: 24700,
    infraPorts: {
      PGPORT: 25441,
      KAFKA_PORT: 29892,
      KAFKA_CONTROLLER_PORT: 29893,
      JAEGER_OTLP_GRPC_PORT: 25017,
      JAEGER_OTLP_HTTP_PORT: 25018,
      JAEGER_QUERY_PORT: 27386,
      JAEGER_QUERY_GRPC_PORT: 27385,
      SMTP_PORT: 21725,
      MAILPIT_HTTP_PORT: 28725,
      KEYCLOAK_PORT: 28780,
    },
  }));
}, 300_000);

afterAll(async () => {
  await kafka?.close();
  await shop?.stop();
}, 120_000);

it('the SMTP rule refuses the domain the refused-address scenario uses', () => {
  expect(refusedDomainIsRefused()).toBe(true);
});

describe(`under ${RATE} orders/s, after each fault: every order final within 60 s of recovery, every email sent, no lag, invariants, DLQ = the injected poison`, () => {
  it.each(scenarios(true).map((s, i) => [s.name, s, i] as const))('%s', async (_name, scenario, i) => {
    const load = new ChaosLoad([shop.url('order')], shop.tokens, `${run}-${i}`, RATE);
    const log = (message: string) => process.stdout.write(`[chaos] ${message}\n`);
    const result = await runScenario(scenario, { shop, kafka, short: true, cluster: false, log, expectedDeadLetters }, load);
    expect(result.problems).toEqual([]);
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.final).toBe(result.accepted);
    expect(result.recoverS).not.toBeNull();
  }, 300_000);
});
