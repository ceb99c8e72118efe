import { receiptConflict } from './stock.errors';

/** A delivery of one SKU, as an admin records it: the receipt id is the idempotency key. */
export interface StockReceiptRequest {
  receiptId: string;
  sku: string;
  quantity: number;
}

/** What receiving stock answers, the first time and on every repeat of the same receipt. */
export interface StockReceipt extends StockReceiptRequest {
  /** The SKU's available units right after this receipt was added. */
  availableAfter: number;
  receivedAt: string;
}

/**
 * A receipt id sent again: the same delivery gets the recorded answer (the stock was added once);
 * other contents under the id are a conflict, never a second delivery.
 */
export function repeatOf(recorded: StockReceipt, request: StockReceiptRequest): StockReceipt {
  if (recorded.sku !== request.sku || recorded.quantity !== request.quantity) throw receiptConflict(request.receiptId, { sku: recorded.sku, quantity: recorded.quantity });
  return recorded;
}
