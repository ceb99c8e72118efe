// What the consumer's parts hand each other (a message of a fetched batch and the handler it was
// routed to, the batch's turn, the outcome report), and what a handler is given.
import type { MessageDefinition } from '@shop/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';

/** What the consumer hands a handler with the payload (the transport wraps it in a MessageContext). */
export interface DeliveryContext {
  /** The transaction in which the handler must write its effects (and its outgoing messages). */
  manager: EntityManager;
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
  /**
   * Tells the group coordinator this consumer is alive. A handler that may run longer than the
   * session timeout (10 s) calls it now and then, or the group would evict the consumer mid-message.
   */
  heartbeat: () => Promise<void>;
}

export type MessageHandlerFn<T> = (data: T, ctx: DeliveryContext) => Promise<void>;

/** `forged`: dead-lettered as PoisonMessageError FORGED (counted apart from the other dead letters, and alerted). */
export type Outcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'forged' | 'ignored';

/** The handler registered for one `type@version`, with its contract. */
export interface Registered {
  definition: MessageDefinition;
  handler: MessageHandlerFn<unknown>;
}

/** A decoded message of a fetched batch. */
export interface Delivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  envelope: Envelope;
  /** undefined: a type this consumer does not handle. */
  registered?: Registered;
  /** When it was read (performance.now()): outcomes are timed from here. */
  started: number;
}

/** A delivery of a type this consumer handles. */
export type OurDelivery = Delivery & Required<Pick<Delivery, 'registered'>>;

/** The fetched batch being handled: keeping the group membership, and whether it is still ours. */
export interface BatchTurn {
  heartbeat: () => Promise<void>;
  /** False once the consumer is stopping or the partition went to another member. */
  stillOurs: () => boolean;
}

/** Reports a delivery's outcome (MessageConsumerOptions.onOutcome), timed from `started`. */
export type ReportOutcome = (outcome: Outcome, type: string, started: number, topic: string) => void;
