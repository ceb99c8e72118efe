import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('product')
@Check('product_available_never_negative', '"available" >= 0')
export class ProductEntity {
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents: number;

  @Column({ type: 'text' })
  currency: string;

  /** Units on hand that are not reserved. The database refuses a negative value. */
  @Column({ type: 'integer' })
  available: number;

  @Column({ type: 'integer' })
  reserved: number;
}
