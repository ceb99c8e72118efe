import { Logger } from '@nestjs/common';
import { EventSubscriber, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';

type Callback = () => void;
const KEY = 'afterCommit';

/**
 * Runs `callback` once the transaction of `manager` has committed, and never if it rolls back:
 * for side effects that must only follow a durable change (metrics, in-process events).
 * Outside a transaction the callback runs at once.
 */
export function afterCommit(manager: EntityManager, callback: Callback): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  const pending = (runner.data[KEY] as Callback[] | undefined) ?? [];
  pending.push(callback);
  runner.data[KEY] = pending;
}

/**
 * Registered on every service's DataSource by PlatformModule: runs or drops what afterCommit
 * queued. (TypeORM only loads subscriber classes that carry @EventSubscriber().)
 */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  private readonly logger = new Logger('AfterCommit');

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const pending = (event.queryRunner.data[KEY] as Callback[] | undefined) ?? [];
    event.queryRunner.data[KEY] = [];
    for (const callback of pending) {
      try {
        callback();
      } catch (error) {
        this.logger.error({ err: error }, 'an after-commit callback failed (the transaction is committed)');
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    event.queryRunner.data[KEY] = [];
  }
}
