import { defineMessage } from '../../message-definition';
import { strictObject, cents, currency, sku, text } from '../../schema-parts';

/** The current state of one product (log-compacted: the latest per SKU is kept). */
export interface ProductCatalogUpdatedV1 {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  available: number;
}

export const ProductCatalogUpdatedV1 = defineMessage<ProductCatalogUpdatedV1>({
  type: 'inventory.product-catalog-updated',
  version: 1,
  kind: 'event',
  topic: 'inventory.catalog',
  owner: 'inventory',
  description: 'The current state of one product (log-compacted: the latest per SKU is kept).',
  schema: strictObject({
    sku,
    name: text,
    priceCents: cents,
    currency,
    available: { type: 'integer', minimum: 0 },
  }),
  key: (data) => data.sku,
});
