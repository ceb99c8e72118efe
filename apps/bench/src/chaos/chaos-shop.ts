import { infra, Shop, type ShopOptions } from '@shop/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SKU } from '../load';
import { ChaosKafka } from './kafka-tools';
import { REFUSED_DOMAIN } from './scenarios';

/** Stock received for the happy path's product through inventory's admin API (one receipt), so the load never runs out. */
const ADDED_STOCK = 100_000_000;

/** The cluster run's saga step timeout: longer than a failover (a replica's partitions wait out its 10 s session timeout, then a rebalance). */
export const CLUSTER_STEP_TIMEOUT_MS = 30_000;

/**
 * A private shop for the chaos run: its own Postgres, Kafka, Jaeger and Mailpit on `ports`, the
 * five built services as processes it can kill, freeze and restart. Mailpit refuses recipients
 * at REFUSED_DOMAIN; shipping's clock is shortened (1 s to dispatch, 1 s to deliver) so every
 * kept order reaches DELIVERED within a scenario; traces are sampled at 10% to spare the CPU.
 * With `cluster`: three Kafka nodes and two replicas of each service, as `npm run shop -- --brokers
 * 3 --replicas 2`, and the saga's step timeout at CLUSTER_STEP_TIMEOUT_MS.
 */
export async function startChaosShop(options: Pick<ShopOptions, 'servicePortBase' | 'infraPorts'> & { cluster?: boolean }): Promise<{ shop: Shop; kafka: ChaosKafka }> {
  const { cluster, ...ports } = options;
  const shop = new Shop({
    ...ports,
    ...(cluster ? { kafkaNodes: 3 as const, replicas: 2 } : {}),
    infraEnv: { MAILPIT_ALLOWED_RECIPIENTS: `@(?:[a-z0-9-]+\\.)*(?:example\\.com|example\\.test)$` },
    commonEnv: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    env: {
      shipping: { SHIPPING_DISPATCH_AFTER_MS: '1000', SHIPPING_DELIVER_AFTER_MS: '1000' },
      // The load is hundreds of customers from one address: no per-client rate limit.
      order: { ORDER_RATE_LIMIT_PER_MINUTE: '0', ...(cluster ? { ORDER_STEP_TIMEOUT_MS: String(CLUSTER_STEP_TIMEOUT_MS) } : {}) },
      // The sender looks for due emails every 200 ms, so "every email sent" is seen soon after it is true.
      notification: { NOTIFICATION_POLL_MS: '200' },
    },
  });
  await shop.start();
  try {
    await shop.receiveStock(BENCH_SKU, ADDED_STOCK);
  } catch (error) {
    await shop.stop(); // nobody else has the shop yet to stop it
    throw error;
  }
  return { shop, kafka: new ChaosKafka(shop.kafkaBrokers, infra.kafkaSasl, shop.kafkaSsl) };
}

/** Checks the Mailpit rule really refuses REFUSED_DOMAIN (a typo there would make the refused-address scenario prove nothing). */
export function refusedDomainIsRefused(): boolean {
  return !/@(?:[a-z0-9-]+\.)*(?:example\.com|example\.test)$/.test(`someone@${REFUSED_DOMAIN}`);
}

/**
 * The steady load of a chaos run: 20 orders/s, or half the capacity the newest benchmark report
 * sustained if that is lower (chaos needs headroom to recover in). Says where the figure came from.
 */
export function chaosRate(resultsDir: string): { rate: number; why: string } {
  let newest: { file: string; sustainedRate: number } | undefined;
  try {
    const reports = readdirSync(resultsDir)
      .filter((f) => /^\d{4}-\d{2}-\d{2}T[\d-]+\.json$/.test(f))
      .sort();
    const file = reports[reports.length - 1];
    if (file) newest = { file, sustainedRate: Number((JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as { sustainedRate?: number }).sustainedRate ?? 0) };
  } catch {
    newest = undefined;
  }
  if (!newest || !(newest.sustainedRate > 0)) return { rate: 20, why: 'no benchmark report with a sustained rate found: 20 orders/s' };
  const half = newest.sustainedRate / 2;
  return half < 20
    ? { rate: half, why: `half of the ${newest.sustainedRate} orders/s sustained in ${newest.file}` }
    : { rate: 20, why: `20 orders/s (${newest.file} sustained ${newest.sustainedRate}/s)` };
}
