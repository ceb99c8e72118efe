import type { MessageDefinition } from './message-definition';
import {
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderRejectedV1,
  OrderCancelledV1,
  OrderShippedV1,
  OrderDeliveredV1,
  ReserveStockV1,
  ReleaseStockV1,
  StockReservedV1,
  StockReservationFailedV1,
  StockReleasedV1,
  ProductCatalogUpdatedV1,
  ChargePaymentV1,
  RefundPaymentV1,
  PaymentChargedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  ScheduleShipmentV1,
  CancelShipmentV1,
  ShipmentScheduledV1,
  ShipmentImpossibleV1,
  ShipmentCancelledV1,
  ShipmentDispatchedV1,
  ShipmentDeliveredV1,
} from './messages';

/** Every message the services exchange, at every version still published. */
export const ALL_MESSAGES: readonly MessageDefinition[] = [
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderRejectedV1,
  OrderCancelledV1,
  OrderShippedV1,
  OrderDeliveredV1,
  ReserveStockV1,
  ReleaseStockV1,
  StockReservedV1,
  StockReservationFailedV1,
  StockReleasedV1,
  ProductCatalogUpdatedV1,
  ChargePaymentV1,
  RefundPaymentV1,
  PaymentChargedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  ScheduleShipmentV1,
  CancelShipmentV1,
  ShipmentScheduledV1,
  ShipmentImpossibleV1,
  ShipmentCancelledV1,
  ShipmentDispatchedV1,
  ShipmentDeliveredV1,
] as readonly MessageDefinition<never>[] as readonly MessageDefinition[];

const byTypeAndVersion = new Map(ALL_MESSAGES.map((m) => [`${m.type}@${m.version}`, m]));

/** The definition for a wire type and version, or undefined if this build does not know it. */
export function findMessage(type: string, version: number): MessageDefinition | undefined {
  return byTypeAndVersion.get(`${type}@${version}`);
}

/** Every topic a message travels on. */
export const ALL_TOPICS: readonly string[] = [...new Set(ALL_MESSAGES.map((m) => m.topic))].sort();
