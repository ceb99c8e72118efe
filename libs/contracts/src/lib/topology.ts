import type { MessageDefinition } from './message-definition';
import * as m from './messages';

/**
 * Which service sends and which receives each message: what the AsyncAPI document and the event
 * catalog are generated from. It is checked against the running services (the handlers each
 * one registers, and what each one really writes to its outbox) by apps/shop-e2e, so it cannot
 * drift from the code.
 */
export type ServiceName = 'order' | 'inventory' | 'payment' | 'shipping' | 'notification' | 'analytics';

export interface ServiceMessages {
  sends: readonly MessageDefinition[];
  receives: readonly MessageDefinition[];
  /**
   * A stream processor's state: messages it sends to a compacted topic in Kafka transactions,
   * together with the offsets of what it consumed, and reads back at start to resume exactly
   * where its last transaction left it (analytics).
   */
  state?: readonly MessageDefinition[];
}

const list = (...defs: Array<MessageDefinition<never>>): readonly MessageDefinition[] => defs as unknown as readonly MessageDefinition[];

export const TOPOLOGY: Readonly<Record<ServiceName, ServiceMessages>> = {
  order: {
    sends: list(
      m.OrderPlacedV1,
      m.OrderConfirmedV1,
      m.OrderConfirmedV2,
      m.OrderRejectedV1,
      m.OrderCancelledV1,
      m.OrderShippedV1,
      m.OrderDeliveredV1,
      m.ReserveStockV1,
      m.ReleaseStockV1,
      m.ChargePaymentV1,
      m.RefundPaymentV1,
      m.ScheduleShipmentV1,
      m.CancelShipmentV1,
    ),
    receives: list(
      m.StockReservedV1,
      m.StockReservationFailedV1,
      m.StockReleasedV1,
      m.ProductCatalogUpdatedV1,
      m.PaymentChargedV1,
      m.PaymentDeclinedV1,
      m.PaymentRefundedV1,
      m.ShipmentScheduledV1,
      m.ShipmentImpossibleV1,
      m.ShipmentCancelledV1,
      m.ShipmentDispatchedV1,
      m.ShipmentDeliveredV1,
    ),
  },
  inventory: {
    sends: list(m.StockReservedV1, m.StockReservationFailedV1, m.StockReleasedV1, m.ProductCatalogUpdatedV1),
    receives: list(m.ReserveStockV1, m.ReleaseStockV1),
  },
  payment: {
    sends: list(m.PaymentChargedV1, m.PaymentDeclinedV1, m.PaymentRefundedV1),
    receives: list(m.ChargePaymentV1, m.RefundPaymentV1),
  },
  shipping: {
    sends: list(m.ShipmentScheduledV1, m.ShipmentImpossibleV1, m.ShipmentCancelledV1, m.ShipmentDispatchedV1, m.ShipmentDeliveredV1),
    receives: list(m.ScheduleShipmentV1, m.CancelShipmentV1),
  },
  notification: {
    sends: list(),
    receives: list(m.OrderConfirmedV1, m.OrderRejectedV1, m.OrderCancelledV1, m.OrderShippedV1, m.OrderDeliveredV1),
  },
  // v2 of order.confirmed only: order publishes v1 and v2 of each confirmation, reading both would count it twice.
  analytics: {
    sends: list(m.OrderWindowUpdatedV1),
    receives: list(m.OrderConfirmedV2, m.OrderRejectedV1),
    state: list(m.OrderWindowUpdatedV1),
  },
};
