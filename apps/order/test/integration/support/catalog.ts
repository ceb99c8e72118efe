import { ProductCatalogUpdatedV1 } from '@shop/contracts';
import { publishForTest } from '@shop/messaging/testing';
import { infra } from '@shop/testing';

/**
 * Order is ready only once it holds inventory's catalog (what is on the compacted topic
 * inventory.catalog, applied). Suites that run order without inventory publish one product
 * there first, as inventory does at boot.
 */
export function publishCatalog(kafkaBrokers: string): Promise<void> {
  return publishForTest({ brokers: [kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl }, ProductCatalogUpdatedV1, [{ sku: 'TEST-MUG', name: 'Test mug', priceCents: 1200, currency: 'EUR', available: 10 }]);
}
