import { Inject, Injectable, Logger, type INestApplication } from '@nestjs/common';
import { NestMicroservice, Server, type CustomTransportStrategy, type MessageHandler as NestHandler } from '@nestjs/microservices';
import { ALL_MESSAGES, COMPACTED_TOPICS, type MessageDefinition } from '@shop/contracts';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { MessageConsumer, type DeliveryContext } from '../consumer/message-consumer';
import { kafkaConnectionOf } from '../kafka/kafka-client';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../kafka/messaging-options';
import type { MessagingMetrics } from '../metrics/messaging-metrics';
import { DependencyBreakers } from '../resilience/dependency-breakers';
import { keepTrying } from '../resilience/keep-trying';
import { MessageContext } from './message-context';
import { patternOf } from './message-pattern';
import { RethrowToConsumerFilter } from './rethrow-to-consumer.filter';

/** By default, shutdown does not wait longer than this for the consumer to leave its group. */
const CONSUMER_STOP_TIMEOUT_MS = 3000;

/** The consumer as readiness sees it. */
export interface ConsumerStatus {
  group: string;
  /** Message types handled, `type@version`. */
  handles: string[];
  topics: string[];
  /** The compacted topics read: state this service keeps a copy of (e.g. order's catalog). */
  stateTopics: string[];
  /** Running and a member of its group (false before the first join, after a crash, after stop). */
  joined: boolean;
}

/**
 * The service's Kafka consumer as a Nest transport: the `@EventPattern(patternOf(Message))`
 * methods are its handlers, called through Nest's pipeline (guards, interceptors, pipes,
 * filters) with the payload and a MessageContext. It owns one MessageConsumer (group = service
 * name), which keeps doing what it did: batch transactions, inbox, retries, dead-lettering,
 * pausing through database outages (its breaker, in DependencyBreakers), trace continuation and outcome metrics. Each delivery runs the
 * Nest handler inside the consumer's transaction and waits for its Promise or Observable; what
 * the handler throws reaches the consumer unchanged (RethrowToConsumerFilter).
 *
 * A provider of MessagingModule, connected by `connectMessaging(app)`. MessagingRuntime (topics,
 * relay, metrics) tells it when the topics exist and which metrics to feed.
 */
@Injectable()
export class MessagingTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('Messaging');
  private consumer?: MessageConsumer;
  private handlesMessages = false;
  private closed = false;
  private metrics?: MessagingMetrics;
  private topicsExist!: (created: boolean) => void;
  private readonly topicsCreated = new Promise<boolean>((resolve) => (this.topicsExist = resolve));

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly db: DataSource,
    private readonly breakers: DependencyBreakers,
  ) {
    super();
  }

  /**
   * Subscribes the consumer to every registered pattern and starts it in the background (Kafka
   * may be down at boot; readiness reports it meanwhile). Fails, and with it the boot, on a
   * pattern that names no known message, on a request-response @MessagePattern and on two
   * handlers of one message. A service without handlers starts no consumer.
   */
  listen(callback: (error?: unknown) => void): void {
    let handlers: Array<{ definition: MessageDefinition; handler: NestHandler }>;
    try {
      handlers = this.resolveHandlers();
    } catch (error) {
      return callback(error);
    }
    if (handlers.length > 0) {
      const group = this.options.service;
      const consumer = new MessageConsumer({
        consumer: group,
        ...kafkaConnectionOf(this.options),
        db: this.db,
        retry: this.options.retry,
        breaker: this.options.breaker,
        onBreakerTransition: (transition) => this.breakers.transitioned(transition),
        onOutcome: (outcome, type, ms, topic) => this.metrics?.observeOutcome(group, outcome, type, ms, topic),
        onKafkaRequest: (client, api) => this.metrics?.observeKafkaRequest(client, api),
      });
      for (const { definition, handler } of handlers) consumer.on(definition, (data, delivery) => this.deliver(handler, data, delivery));
      this.consumer = consumer;
      this.handlesMessages = true;
      this.breakers.register(() => (this.consumer ?? consumer).breakers.map((b) => ({ consumer: group, ...b })));
      void this.start(consumer);
    }
    callback();
  }

  /** Leaves the group, waiting at most the configured time: an unfinished message comes again. */
  async close(): Promise<void> {
    this.closed = true;
    this.topicsExist(false);
    const consumer = this.consumer;
    this.consumer = undefined; // also ends start()'s retry loop
    await consumer?.stop(this.options.consumerStopTimeoutMs ?? CONSUMER_STOP_TIMEOUT_MS).catch(() => undefined);
  }

  /** Called by MessagingRuntime once the service's topics exist (false: it gave up, shutting down). */
  topicsReady(created: boolean): void {
    this.topicsExist(created);
  }

  /** Called by MessagingRuntime: where the consumer's outcomes and Kafka requests are counted. */
  observeWith(metrics: MessagingMetrics): void {
    this.metrics = metrics;
  }

  /** The consumer group and its topics, for the lag metrics; empty before listen() and without handlers. */
  consumerGroups(): Array<{ groupId: string; topics: string[] }> {
    return this.consumer ? [{ groupId: this.options.service, topics: this.consumer.topics }] : [];
  }

  /** null when the service handles no messages (or is not listening yet); `joined: false` also once shutdown has begun. */
  consumerStatus(): ConsumerStatus | null {
    if (!this.handlesMessages) return null;
    const consumer = this.consumer;
    const topics = consumer?.topics ?? [];
    return {
      group: this.options.service,
      handles: consumer?.handles ?? [],
      topics,
      stateTopics: topics.filter((t) => COMPACTED_TOPICS.includes(t)),
      joined: consumer?.joined ?? false,
    };
  }

  on(): never {
    throw new Error('MessagingTransport emits no events; readiness reads consumerStatus()');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('MessagingTransport has no consumer (not listening, or no handlers)');
    return this.consumer as T;
  }

  /**
   * Runs the Nest handler (its guards, interceptors, pipes and filters included) and waits for
   * what it returns, so its effects are part of the delivery's transaction.
   */
  private async deliver(handler: NestHandler, data: unknown, delivery: DeliveryContext): Promise<void> {
    const result = handler(data, new MessageContext(delivery));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async start(consumer: MessageConsumer): Promise<void> {
    if (!(await this.topicsCreated) || this.closed) return;
    const started = await keepTrying(
      this.log,
      'consumer could not start',
      () => this.consumer === consumer, // close() clears it
      () => consumer.start(),
      () => consumer.stop(),
    );
    if (started) this.log.log(`consumer ${this.options.service} handles ${consumer.handles.join(', ')} from ${consumer.topics.join(', ')}`);
  }

  private resolveHandlers(): Array<{ definition: MessageDefinition; handler: NestHandler }> {
    const catalog = new Map<string, MessageDefinition>((this.options.messages ?? ALL_MESSAGES).map((d) => [patternOf(d), d as MessageDefinition]));
    return [...this.getHandlers()].map(([pattern, handler]) => {
      const definition = catalog.get(pattern);
      if (!definition) {
        throw new Error(`no message is known by the pattern "${pattern}": handlers take @EventPattern(patternOf(SomeMessageV1)), "<wire type>@<version>" of a contract`);
      }
      if (!handler.isEventHandler) throw new Error(`"${pattern}" is a @MessagePattern: Kafka messages have no reply, declare the handler with @EventPattern`);
      if (handler.next) throw new Error(`"${pattern}" has more than one @EventPattern handler: a message has one handler per service`);
      return { definition, handler };
    });
  }
}

/**
 * Connects the service's MessagingTransport to the application as a Nest microservice; start it
 * with `app.startAllMicroservices()`. The microservice does not inherit the HTTP application's
 * global enhancers (the problem+json filter and the bearer-token guards are for HTTP requests);
 * its only global is RethrowToConsumerFilter. Enhancers bound to a handler class or method apply.
 */
export function connectMessaging(app: INestApplication): NestMicroservice {
  const microservice = app.connectMicroservice({ strategy: app.get(MessagingTransport) }, { deferInitialization: true }) as NestMicroservice;
  // Deferred so that the filter below is in place when the handlers are wrapped (they are wrapped
  // when connecting, otherwise). The application runs the lifecycle hooks; the microservice must
  // not run them a second time when it starts.
  microservice.setIsInitHookCalled(true);
  microservice.useGlobalFilters(new RethrowToConsumerFilter());
  return microservice;
}
