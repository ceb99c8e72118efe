import { IDEMPOTENCY_KEY_FORMAT, nonBlankText } from '@shop/platform';
import { z } from 'zod';

/**
 * The bodies of the inventory admin API, as zod schemas: they validate requests (400 naming every
 * bad field) and document them. Strict: an unknown field is an error, not silently dropped.
 */

const sku = z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/, 'must be an upper-case SKU such as MUG-LOGO (A-Z, 0-9 and -, at most 64 characters)');

/** Postgres `integer`, the type of the stock and price columns. */
const MAX_INT = 2_147_483_647;

export const stockReceiptRequest = z
  .strictObject({
    receiptId: z
      .string()
      .regex(IDEMPOTENCY_KEY_FORMAT, 'must be 1-255 visible ASCII characters, such as the delivery note number or a UUID')
      .describe('Names the delivery: sending it again adds nothing and gets the same answer'),
    sku,
    quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_INT, `must be at most ${MAX_INT}`).describe('Units received'),
  })
  .meta({ title: 'StockReceiptRequest' });

export const newProductRequest = z
  .strictObject({
    sku,
    name: nonBlankText(200),
    priceCents: z.number().int('must be a whole number of minor units (cents)').min(0, 'must not be negative').max(MAX_INT, `must be at most ${MAX_INT}`).describe('Price in minor units of the currency (1999 = 19.99)'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  })
  .meta({ title: 'NewProductRequest' });
