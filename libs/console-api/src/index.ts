export { ORDER_STATUSES, type Me, type Order, type OrderAccepted, type OrderDetail, type OrderHistoryEvent, type OrderList, type OrderPage, type OrderRow } from './lib/console-api';
export { sagaSteps, type SagaStep, type StepOutcome, type TimelineEntry } from './lib/saga-steps';
export { cancelsAtOnce, isTestOrderPath, slowParticipantOf, TEST_ORDER_PATHS, testOrderBody, type TestOrderPath } from './lib/test-orders';
export { outcomeRates, SHOP_SERVICES, type DeadLetterList, type DeadLetterRow, type HealthCheckRow, type HealthOverview, type MessagingOverview, type PartitionLag, type ReplayRequest, type ReplayResult, type ServiceMessaging, type ShopService } from './lib/operations';
export { MIN_BAR_PERCENT, waterfall, type OrderMessage, type OrderTrace, type OrderTraceResult, type TraceSpan, type Waterfall, type WaterfallBar, type WaterfallLane } from './lib/order-trace';
export { type OrderEmail, type OrderEmailsResult } from './lib/order-emails';
export { MESSAGE_TYPE_PATTERN, subjectsOfType, type MessageSchemasResult, type RegisteredSchema } from './lib/message-schemas';
export { type InventoryProduct, type StockReceipt, type StockReceiptRequest } from './lib/inventory';
export { CHART_MINUTES, minuteChart, type MinuteBar, type MinuteChart, type OrderWindow, type RevenuePerMinute } from './lib/analytics';
