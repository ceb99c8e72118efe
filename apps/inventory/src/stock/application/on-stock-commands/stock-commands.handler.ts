import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ReleaseStockV1, ReserveStockV1, StockReleasedV1, StockReservationFailedV1, StockReservedV1 } from '@shop/contracts';
import { causedBy, OutboxWriter, patternOf, type MessageContext } from '@shop/messaging';
import { FaultSwitch } from '@shop/platform';
import { CatalogPublisher } from '../catalog-publisher';
import { StockService } from '../stock.service';

/**
 * Inventory's part in the order saga: ReserveStock and ReleaseStock commands, each answered by
 * an event written to the outbox in the same transaction as the stock change (and the inbox
 * record). A repeated command gets the same answer again: replies are idempotent too. Every
 * stock change also republishes the products it touched to the catalog topic.
 */
@Controller()
export class StockCommandsHandler {
  private readonly logger = new Logger(StockCommandsHandler.name);

  constructor(
    private readonly stock: StockService,
    private readonly outbox: OutboxWriter,
    private readonly catalog: CatalogPublisher,
    private readonly faults: FaultSwitch,
  ) {}

  @EventPattern(patternOf(ReserveStockV1))
  async reserve(@Payload() command: ReserveStockV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const reservation = await this.stock.reserve(ctx.manager, command.orderId, command.lines);
    if (reservation.status === 'RESERVED') {
      this.logger.log(`stock reserved for order ${command.orderId}`);
      await this.outbox.add(ctx.manager, StockReservedV1, { orderId: command.orderId, lines: reservation.lines }, causedBy(ctx.envelope));
      await this.catalog.publish(ctx.manager, reservation.lines.map((l) => l.sku), causedBy(ctx.envelope));
    } else {
      const reason = reservation.reason ?? `RESERVATION_${reservation.status}`;
      this.logger.log(`stock not reserved for order ${command.orderId}: ${reason}`);
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      await this.outbox.add(ctx.manager, StockReservationFailedV1, { orderId: command.orderId, reason }, causedBy(ctx.envelope));
    }
  }

  @EventPattern(patternOf(ReleaseStockV1))
  async release(@Payload() command: ReleaseStockV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const before = await this.stock.reservationOf(ctx.manager, command.orderId);
    const reservation = await this.stock.release(ctx.manager, command.orderId);
    if (before?.status === 'RESERVED' && reservation.status === 'RELEASED') {
      await this.catalog.publish(ctx.manager, reservation.lines.map((l) => l.sku), causedBy(ctx.envelope));
    }
    this.logger.log(`stock released for order ${command.orderId} (reservation ${reservation.status})`);
    await this.outbox.add(ctx.manager, StockReleasedV1, { orderId: command.orderId }, causedBy(ctx.envelope));
  }
}
