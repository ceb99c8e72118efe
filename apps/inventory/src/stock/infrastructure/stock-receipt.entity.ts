import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One delivery received (POST /stock-receipts): its id is the idempotency key, its answer is kept for repeats. */
@Entity('stock_receipt')
export class StockReceiptEntity {
  @PrimaryColumn({ name: 'receipt_id', type: 'text' })
  receiptId: string;

  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'available_after', type: 'integer' })
  availableAfter: number;

  /** The admin's subject (the access token's `sub`). */
  @Column({ name: 'received_by', type: 'text' })
  receivedBy: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
