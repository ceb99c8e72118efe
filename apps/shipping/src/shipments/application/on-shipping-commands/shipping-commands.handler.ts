import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  CancelShipmentV1,
  ScheduleShipmentV1,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentImpossibleV1,
  ShipmentScheduledV1,
} from '@shop/contracts';
import { captureTraceContext, causedBy, OutboxWriter, patternOf, type MessageContext } from '@shop/messaging';
import { FaultSwitch } from '@shop/platform';
import { ShipmentService, type ShippingTimings } from '../shipment.service';
import { SHIPPING_TIMINGS } from '../shipping-timings';

/**
 * Shipping's part in the order saga: ScheduleShipment and CancelShipment, each answered through
 * the outbox in the handler's transaction. Both are idempotent per order (the first outcome is kept).
 */
@Controller()
export class ShippingCommandsHandler {
  private readonly logger = new Logger(ShippingCommandsHandler.name);

  constructor(
    private readonly shipments: ShipmentService,
    private readonly outbox: OutboxWriter,
    private readonly faults: FaultSwitch,
    @Inject(SHIPPING_TIMINGS) private readonly timings: ShippingTimings,
  ) {}

  @EventPattern(patternOf(ScheduleShipmentV1))
  async schedule(@Payload() command: ScheduleShipmentV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const shipment = await this.shipments.schedule(ctx.manager, command.orderId, command.address, new Date(), this.timings, captureTraceContext());
    const cause = causedBy(ctx.envelope);
    if (shipment.dispatchDueAt && shipment.status !== 'CANCELLED') {
      this.logger.log(`shipment scheduled for order ${command.orderId}, dispatch at ${shipment.dispatchDueAt.toISOString()}`);
      await this.outbox.add(ctx.manager, ShipmentScheduledV1, { orderId: command.orderId, dispatchDueAt: shipment.dispatchDueAt.toISOString() }, cause);
    } else {
      // Unshippable address, or a CancelShipment got here first (its tombstone refuses the schedule).
      const reason = shipment.reason ?? `SHIPMENT_${shipment.status}`;
      this.logger.log(`shipment impossible for order ${command.orderId}: ${reason}`);
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      await this.outbox.add(ctx.manager, ShipmentImpossibleV1, { orderId: command.orderId, reason }, cause);
    }
  }

  @EventPattern(patternOf(CancelShipmentV1))
  async cancel(@Payload() command: CancelShipmentV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const shipment = await this.shipments.cancel(ctx.manager, command.orderId, new Date());
    const cause = causedBy(ctx.envelope);
    this.logger.log(`cancel shipment for order ${command.orderId}: ${shipment.status}`);
    if (shipment.status === 'DISPATCHED' || shipment.status === 'DELIVERED') {
      // Too late: the parcel has left. Say so again, and that it arrived if it did: an order that
      // was undoing its steps missed those events, and now keeps its shipment.
      await this.outbox.add(ctx.manager, ShipmentDispatchedV1, { orderId: command.orderId }, cause);
      if (shipment.status === 'DELIVERED') await this.outbox.add(ctx.manager, ShipmentDeliveredV1, { orderId: command.orderId }, cause);
    } else {
      await this.outbox.add(ctx.manager, ShipmentCancelledV1, { orderId: command.orderId }, cause);
    }
  }
}
