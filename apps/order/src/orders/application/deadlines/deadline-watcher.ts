import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Inject } from '@nestjs/common';
import { inStoredTrace } from '@shop/messaging';
import { DataSource } from 'typeorm';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderSagaRunner } from '../order-saga.runner';

export const DEADLINE_TICK_MS = Symbol('DEADLINE_TICK_MS');

/**
 * Gives every saga its deadlines: each tick finds the orders whose step or compensation is
 * overdue and lets the saga decide (give up and compensate, or re-send a compensation). Each
 * order is handled in its own transaction under its row lock (SKIP LOCKED: an order busy with a
 * reply is looked at again next tick), so several replicas can watch at once.
 */
@Injectable()
export class DeadlineWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineWatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderRepository,
    private readonly saga: OrderSagaRunner,
    @Inject(DEADLINE_TICK_MS) private readonly tickMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setTimeout(() => void this.tick(), this.tickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns how many orders had a deadline applied. */
  async checkOnce(now = new Date()): Promise<number> {
    let applied = 0;
    for (const { id, traceContext } of await this.orders.dueForDeadline(this.db.manager, now, 100)) {
      // Continue the order's own trace: the compensations a deadline starts belong to it.
      const result = await inStoredTrace(traceContext, 'order deadline', { 'shop.order_id': id }, () =>
        this.db.transaction((manager) => this.saga.run(manager, id, (order) => order.deadlinePassed(new Date(), this.saga.timings), { skipLocked: true })),
      );
      if (result && result.events.length > 0) applied += 1;
    }
    return applied;
  }

  private async tick(): Promise<void> {
    this.running = this.checkOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'deadline check failed; trying again next tick'));
    await this.running;
    if (this.timer) this.timer = setTimeout(() => void this.tick(), this.tickMs);
  }
}
