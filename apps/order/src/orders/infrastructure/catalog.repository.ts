import { Injectable } from '@nestjs/common';
import { execute, select } from '@shop/platform';
import type { EntityManager } from 'typeorm';

export interface CatalogProduct {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  available: number;
}

/** The order service's local copy of inventory's catalog (catalog_product). */
@Injectable()
export class CatalogRepository {
  async upsert(manager: EntityManager, p: CatalogProduct): Promise<void> {
    await execute(
      manager,
      `INSERT INTO catalog_product (sku, name, price_cents, currency, available, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency,
         available = EXCLUDED.available, updated_at = EXCLUDED.updated_at`,
      [p.sku, p.name, p.priceCents, p.currency, p.available],
    );
  }

  async find(manager: EntityManager, skus?: string[]): Promise<CatalogProduct[]> {
    const rows = await select<{ sku: string; name: string; price_cents: number; currency: string; available: number }>(
      manager,
      skus ? `SELECT * FROM catalog_product WHERE sku = ANY($1) ORDER BY sku` : `SELECT * FROM catalog_product ORDER BY sku`,
      skus ? [skus] : [],
    );
    return rows.map((r) => ({ sku: r.sku, name: r.name, priceCents: r.price_cents, currency: r.currency, available: r.available }));
  }
}
