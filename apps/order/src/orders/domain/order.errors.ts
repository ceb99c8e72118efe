import { DomainError } from '@shop/platform/errors';

/** Stable error codes of the order API (documented in apps/order/README.md). */
export const orderNotFound = (orderId: string) => new DomainError('ORDER.NOT_FOUND', 'NOT_FOUND', `order ${orderId} does not exist`);

export const cannotCancel = (orderId: string, status: string) =>
  new DomainError('ORDER.CANNOT_CANCEL', 'CONFLICT', `order ${orderId} cannot be cancelled in status ${status} (only PENDING or CONFIRMED orders, before dispatch)`, { orderStatus: status });

export const duplicateSkus = (skus: string[]) =>
  new DomainError('ORDER.DUPLICATE_SKU', 'INVALID', `each SKU may appear on one line only: ${skus.join(', ')} (add up the quantities)`, { skus });

export const unknownSkus = (skus: string[]) =>
  new DomainError('ORDER.UNKNOWN_SKU', 'INVALID', `unknown SKU: ${skus.join(', ')} (GET /products lists what can be ordered)`, { skus });

export const mixedCurrencies = (currencies: string[]) =>
  new DomainError('ORDER.MIXED_CURRENCIES', 'INVALID', `the lines are priced in several currencies (${currencies.join(', ')}); one order takes one currency`);
