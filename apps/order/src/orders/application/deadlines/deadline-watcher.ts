import { Inject, Injectable } from '@nestjs/common';
import { CONSUMER_SESSION_TIMEOUT_MS, inStoredTrace, KafkaHealthIndicator } from '@shop/messaging';
import { BackgroundWorker, WorkerRuntime, type WorkResult } from '@shop/platform';
import { DataSource } from 'typeorm';
import type { CommandClock } from '../../domain/order';
import { OrderRepository, type DueOrder } from '../../infrastructure/order.repository';
import { OrderSagaRunner } from '../order-saga.runner';
import { ReplyChannel } from './reply-channel';

export const DEADLINE_TICK_MS = Symbol('DEADLINE_TICK_MS');
/** Orders handled per pass; a full pass runs again at once. */
const BATCH = 100;

/**
 * Gives every saga its deadlines: a background worker (the platform's BackgroundWorker, every
 * ORDER_DEADLINE_TICK_MS) whose pass finds the orders whose step or compensation is overdue and
 * lets the saga decide (give up and compensate, or re-send a compensation). Each order is
 * handled in its own transaction under its row lock (SKIP LOCKED: an order busy with a reply is
 * looked at again next pass), so several replicas can watch at once.
 *
 * A deadline measures the participant, not the infrastructure. A step's clock starts when its
 * command reached Kafka (the outbox row's published_at), not when the saga wrote it: a backlog
 * in the outbox or a broker outage before publishing postpones the deadline (DeadlinePostponed
 * in the order's history) instead of failing the order. While the replies cannot reach this
 * service (Kafka does not answer, or its consumer has not joined yet) no deadline is applied at
 * all, and once they can, the clocks restart one consumer session timeout later: a participant
 * whose consumer crashed during the outage rejoins its group under a new member id, and the group
 * first waits for the old member to expire (CONSUMER_SESSION_TIMEOUT_MS after Kafka is back).
 */
@Injectable()
export class DeadlineWatcher extends BackgroundWorker {
  private readonly replies: ReplyChannel;
  /** null until replies could first reach this service (boot); then whether they cannot now. */
  private paused: boolean | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderRepository,
    private readonly saga: OrderSagaRunner,
    kafka: KafkaHealthIndicator,
    @Inject(DEADLINE_TICK_MS) tickMs: number,
    runtime: WorkerRuntime,
  ) {
    super({ name: 'order-deadlines', intervalMs: tickMs }, runtime);
    this.replies = new ReplyChannel(() => kafka.reachable(), () => kafka.consumerJoined());
  }

  protected override async work(): Promise<WorkResult> {
    const { applied, due } = await this.pass();
    return { handled: applied, more: due === BATCH };
  }

  /** One pass: how many orders had a deadline applied or postponed, of how many were due. */
  private async pass(now = new Date()): Promise<{ applied: number; due: number }> {
    const channel = await this.replies.check(now.getTime());
    if (!channel.open) {
      // At boot the consumer joins after a few seconds: that is no outage worth a warning.
      if (this.paused === false) this.logger.warn('deadlines paused: Kafka does not answer or this service has not joined its consumer group');
      if (this.paused !== null) this.paused = true;
      return { applied: 0, due: 0 };
    }
    if (this.paused) this.logger.log('deadlines resumed: the clocks of the steps in flight restart now');
    if (this.paused === null) this.logger.log('deadlines watched: replies can reach this service');
    this.paused = false;
    const due = await this.orders.dueForDeadline(this.db.manager, now, BATCH);
    let applied = 0;
    for (const order of due) {
      const clock = commandClock(order, channel.openSince);
      // Continue the order's own trace: the compensations a deadline starts belong to it.
      const result = await inStoredTrace(order.traceContext, 'order deadline', { 'shop.order_id': order.id }, () =>
        this.db.transaction((manager) =>
          this.saga.run(manager, order.id, (o) => o.deadlinePassed(new Date(), this.saga.timings, clock), { skipLocked: true }),
        ),
      );
      if (result && result.events.length > 0) applied += 1;
    }
    return { applied, due: due.length };
  }
}

/**
 * When the clock of the command an order waits on started: not yet while the command is still in
 * the outbox; else at its publication, but never before every consumer group can have re-formed
 * since replies could reach this service again (`repliesOpenSince` plus `rejoinMs`: after an
 * outage or a restart of this service). Undefined when neither is known (its outbox row was
 * pruned long ago): the deadline stands.
 */
export function commandClock(due: DueOrder, repliesOpenSince: number | null, rejoinMs = CONSUMER_SESSION_TIMEOUT_MS): CommandClock | undefined {
  if (due.commandWaiting) return { startedAt: null, why: 'its command has not reached Kafka yet' };
  const publishedAt = due.commandPublishedAt?.getTime() ?? null;
  if (repliesOpenSince !== null && (publishedAt === null || repliesOpenSince + rejoinMs > publishedAt)) {
    const open = new Date(repliesOpenSince).toISOString();
    return {
      startedAt: new Date(repliesOpenSince + rejoinMs),
      why: `replies could not reach the order service until ${open}, and a participant's consumer may need ${rejoinMs / 1000} s more to rejoin its group`,
    };
  }
  if (publishedAt !== null) return { startedAt: new Date(publishedAt), why: `its command reached Kafka at ${new Date(publishedAt).toISOString()}` };
  return undefined;
}
