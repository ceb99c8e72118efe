export { ORDER_STATUSES, type Me, type Order, type OrderDetail, type OrderHistoryEvent, type OrderList, type OrderRow } from './lib/console-api';
export { sagaSteps, type SagaStep, type StepOutcome, type TimelineEntry } from './lib/saga-steps';
export { isTestOrderPath, TEST_ORDER_PATHS, testOrderBody, type TestOrderPath } from './lib/test-orders';
