import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReservationLine } from '../domain/reservation-lines';

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED';

/** One per order: what was reserved, or why not, or that it was released (a tombstone if it never existed). */
@Entity('reservation')
export class ReservationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'text' })
  status: ReservationStatus;

  @Column({ type: 'jsonb' })
  lines: ReservationLine[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
