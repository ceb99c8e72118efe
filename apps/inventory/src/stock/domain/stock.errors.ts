import { DomainError } from '@shop/platform/errors';

/** Stable error codes of the inventory API (documented in apps/inventory/README.md). */
export const unknownSku = (sku: string) => new DomainError('INVENTORY.UNKNOWN_SKU', 'NOT_FOUND', `no product ${sku} (POST /products adds one; GET /products lists them)`, { sku });

export const productExists = (sku: string) => new DomainError('INVENTORY.PRODUCT_EXISTS', 'CONFLICT', `product ${sku} exists already (a product's SKU is never reused)`, { sku });

export const receiptConflict = (receiptId: string, recorded: { sku: string; quantity: number }) =>
  new DomainError(
    'INVENTORY.RECEIPT_CONFLICT',
    'CONFLICT',
    `receipt ${receiptId} was recorded with other contents (${recorded.quantity} of ${recorded.sku}); a receipt id names one delivery: use a new one for another`,
    { receiptId, recorded },
  );

export const stockTooHigh = (sku: string, quantity: number) =>
  new DomainError('INVENTORY.STOCK_TOO_HIGH', 'INVALID', `receiving ${quantity} of ${sku} would take its stock over 2147483647 units`, { sku, quantity });
