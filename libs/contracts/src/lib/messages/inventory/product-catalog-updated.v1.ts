import type { FromSchema } from 'json-schema-to-ts';
import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, productName, sku } from '../../schema-parts';

const schema = strictObject({
  sku,
  name: productName,
  priceCents: cents,
  currency,
  available: { type: 'integer', minimum: 0 },
});

/** The current state of one product (log-compacted: the latest per SKU is kept). */
export type ProductCatalogUpdatedV1 = FromSchema<typeof schema>;

export const ProductCatalogUpdatedV1 = defineMessage({
  type: 'inventory.product-catalog-updated',
  version: 1,
  kind: 'event',
  topic: 'inventory.catalog',
  owner: 'inventory',
  description: 'The current state of one product (log-compacted: the latest per SKU is kept).',
  schema,
  key: (data) => data.sku,
});
