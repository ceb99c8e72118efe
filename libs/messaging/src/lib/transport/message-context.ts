import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { DeliveryContext } from '../consumer/message-consumer';
import type { Envelope } from '../envelope/envelope';

/**
 * What a message handler gets beside the payload (`@Ctx() ctx: MessageContext`): the delivery's
 * transaction, its envelope and where it came from. It is Nest's RPC context for this transport,
 * so an interceptor, guard or filter reads the same thing through
 * `host.switchToRpc().getContext<MessageContext>()`.
 */
export class MessageContext extends BaseRpcContext<[DeliveryContext]> {
  constructor(delivery: DeliveryContext) {
    super([delivery]);
  }

  /** The transaction in which the handler must write its effects (and its outgoing messages). */
  get manager(): EntityManager {
    return this.args[0].manager;
  }

  get envelope(): Envelope {
    return this.args[0].envelope;
  }

  get topic(): string {
    return this.args[0].topic;
  }

  get partition(): number {
    return this.args[0].partition;
  }

  get offset(): string {
    return this.args[0].offset;
  }

  /** 1 on the first delivery, then counting the retries of this message. */
  get attempt(): number {
    return this.args[0].attempt;
  }

  /**
   * Tells the group coordinator this consumer is alive. A handler that may run longer than the
   * session timeout (10 s) calls it now and then, or the group would evict the consumer mid-message.
   */
  get heartbeat(): () => Promise<void> {
    return this.args[0].heartbeat;
  }
}
