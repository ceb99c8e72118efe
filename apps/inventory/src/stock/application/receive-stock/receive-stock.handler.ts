import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { execute } from '@shop/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { repeatOf, type StockReceipt } from '../../domain/stock-receipt';
import { stockTooHigh, unknownSku } from '../../domain/stock.errors';
import { StockReceiptEntity } from '../../infrastructure/stock-receipt.entity';
import { CatalogPublisher } from '../catalog-publisher';
import { ReceiveStockCommand, type ReceiveStockAnswer } from './receive-stock.command';

/** Postgres: a value out of its column type's range (here: available over 2^31 - 1). */
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

/**
 * Receives a delivery: records the receipt, adds its units to the SKU's available stock and
 * publishes the product's new state to the catalog topic, all in one transaction with the outbox
 * row. The receipt id is claimed first, so a concurrent duplicate waits for the first to commit
 * and then answers what it recorded: the units are added once. Any refusal rolls everything back.
 */
@CommandHandler(ReceiveStockCommand)
export class ReceiveStockHandler implements ICommandHandler<ReceiveStockCommand> {
  constructor(
    private readonly db: DataSource,
    private readonly catalog: CatalogPublisher,
  ) {}

  execute({ request, receivedBy }: ReceiveStockCommand): Promise<ReceiveStockAnswer> {
    const { receiptId, sku, quantity } = request;
    return this.db.transaction(async (manager) => {
      const claimed = await execute(
        manager,
        `INSERT INTO stock_receipt (receipt_id, sku, quantity, available_after, received_by)
         SELECT $1, sku, $3, available, $4 FROM product WHERE sku = $2
         ON CONFLICT (receipt_id) DO NOTHING RETURNING receipt_id`,
        [receiptId, sku, quantity, receivedBy],
      );
      if (claimed.affected === 0) {
        const recorded = await manager.findOneBy(StockReceiptEntity, { receiptId });
        if (!recorded) throw unknownSku(sku);
        return { receipt: repeatOf(receiptOf(recorded), request), replayed: true };
      }
      const availableAfter = await this.add(manager, sku, quantity);
      await manager.update(StockReceiptEntity, { receiptId }, { availableAfter });
      await this.catalog.publish(manager, [sku]);
      return { receipt: receiptOf(await manager.findOneByOrFail(StockReceiptEntity, { receiptId })), replayed: false };
    });
  }

  /** Adds the units (the row lock orders concurrent receipts of a SKU) and returns the new available stock. */
  private async add(manager: EntityManager, sku: string, quantity: number): Promise<number> {
    try {
      const { rows } = await execute<{ available: number }>(manager, 'UPDATE product SET available = available + $2 WHERE sku = $1 RETURNING available', [sku, quantity]);
      return rows[0].available;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === NUMERIC_VALUE_OUT_OF_RANGE) throw stockTooHigh(sku, quantity);
      throw error;
    }
  }
}

function receiptOf(row: StockReceiptEntity): StockReceipt {
  return { receiptId: row.receiptId, sku: row.sku, quantity: row.quantity, availableAfter: row.availableAfter, receivedAt: row.receivedAt.toISOString() };
}
