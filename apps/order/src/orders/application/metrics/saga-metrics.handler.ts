import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Counter, Histogram, Registry } from 'prom-client';
import { SAGA_ENDINGS, type OrderEventType } from '../../domain/order';
import { OrderEventPublished } from '../order-event-published';

/** The events that end a saga, and the outcome each counts as: the status it leaves the order in. */
const OUTCOME_OF: Partial<Record<OrderEventType, string>> = SAGA_ENDINGS;

/**
 * Saga metrics, from committed order events only: `shop_saga_started_total`,
 * `shop_saga_completed_total{outcome}` and `shop_saga_duration_seconds{outcome}` (placed to
 * CONFIRMED, REJECTED or CANCELLED), `shop_saga_deadlines_total{outcome=passed|postponed}`. A cancel after confirmation counts the same order twice:
 * CONFIRMED when it was confirmed, CANCELLED when it was undone.
 */
@EventsHandler(OrderEventPublished)
export class SagaMetricsHandler implements IEventHandler<OrderEventPublished> {
  private readonly started: Counter;
  private readonly completed: Counter<'outcome'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly deadlines: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.started = new Counter({ name: 'shop_saga_started_total', help: 'Order sagas started', registers: [registry] });
    this.completed = new Counter({ name: 'shop_saga_completed_total', help: 'Order sagas ended, by outcome', labelNames: ['outcome'], registers: [registry] });
    this.duration = new Histogram({
      name: 'shop_saga_duration_seconds',
      help: 'Time from order placed to the saga outcome',
      labelNames: ['outcome'],
      buckets: [0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    });
    this.deadlines = new Counter({
      name: 'shop_saga_deadlines_total',
      help: 'Step and compensation deadlines that passed, or were postponed because the command could not reach its participant yet',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of Object.values(OUTCOME_OF)) this.completed.inc({ outcome }, 0);
    for (const outcome of ['passed', 'postponed']) this.deadlines.inc({ outcome }, 0);
  }

  handle({ order, event }: OrderEventPublished): void {
    if (event.type === 'OrderPlaced') this.started.inc();
    if (event.type === 'DeadlinePassed') this.deadlines.inc({ outcome: 'passed' });
    if (event.type === 'DeadlinePostponed') this.deadlines.inc({ outcome: 'postponed' });
    const outcome = OUTCOME_OF[event.type];
    if (!outcome) return;
    this.completed.inc({ outcome });
    this.duration.observe({ outcome }, (event.at.getTime() - order.placedAt.getTime()) / 1000);
  }
}
