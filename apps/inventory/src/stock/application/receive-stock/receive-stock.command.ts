import { Command } from '@nestjs/cqrs';
import type { StockReceipt, StockReceiptRequest } from '../../domain/stock-receipt';

export interface ReceiveStockAnswer {
  receipt: StockReceipt;
  /** True when the receipt id had been recorded before: nothing was added this time. */
  replayed: boolean;
}

export class ReceiveStockCommand extends Command<ReceiveStockAnswer> {
  constructor(
    /** Already validated (the HTTP layer's zod schema). */
    readonly request: StockReceiptRequest,
    /** The admin's subject, kept with the receipt. */
    readonly receivedBy: string,
  ) {
    super();
  }
}
