import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ShippingAddress } from '../domain/address';

/**
 * SCHEDULED -> DISPATCHED -> DELIVERED, or SCHEDULED -> CANCELLED; IMPOSSIBLE when the address
 * cannot be served; CANCELLED without an address is a tombstone (cancelled before scheduled).
 */
export type ShipmentStatus = 'SCHEDULED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED' | 'IMPOSSIBLE';

@Entity('shipment')
export class ShipmentEntity {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'text' })
  status: ShipmentStatus;

  @Column({ type: 'jsonb', nullable: true })
  address: ShippingAddress | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'dispatch_due_at', type: 'timestamptz', nullable: true })
  dispatchDueAt: Date | null;

  @Column({ name: 'deliver_due_at', type: 'timestamptz', nullable: true })
  deliverDueAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** W3C traceparent of the ScheduleShipment, continued by the clock's dispatch and delivery. */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext: string | null;
}
