import { z } from 'zod';

/** What the inventory admin API answers, as zod schemas (the OpenAPI response schemas). */

export const productStock = z
  .object({
    sku: z.string(),
    name: z.string(),
    priceCents: z.number().int().min(0),
    currency: z.string().length(3),
    available: z.number().int().min(0),
    reserved: z.number().int().min(0),
  })
  .meta({ title: 'ProductStock' });

export const productList = z.array(productStock).meta({ title: 'ProductStockList' });

export const stockReceipt = z
  .object({
    receiptId: z.string(),
    sku: z.string(),
    quantity: z.number().int().min(1),
    availableAfter: z.number().int().min(0).describe("The SKU's available units right after this receipt"),
    receivedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ title: 'StockReceipt' });
