import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { COMPACTED_TOPICS, type MessageDefinition } from '@shop/contracts';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MessageConsumer, type MessageContext } from '../consumer/message-consumer';
import { isServiceName, kafkaAccess, kafkaTopics } from '../kafka/kafka-access';
import { ensureTopics } from '../kafka/topics';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../kafka/messaging-options';
import { MessagingMetrics } from '../metrics/messaging-metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { MESSAGE_HANDLER } from './message-handler.decorator';

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
 * Starts a service's messaging when the application boots and stops it on shutdown: the outbox
 * relay, one consumer (group = service name) for every @MessageHandler found, and the metrics.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private relay?: OutboxRelay;
  private consumer?: MessageConsumer;
  private handlesMessages = false;
  private metrics?: MessagingMetrics;
  private stopped = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly db: DataSource,
    @Optional() private readonly registry?: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.findHandlers();
    const group = this.options.service;
    const registry = this.registry ?? new Registry();
    const consumer =
      handlers.length > 0
        ? new MessageConsumer({
            consumer: group,
            brokers: this.options.brokers,
            sasl: this.options.sasl,
            db: this.db,
            retry: this.options.retry,
            onOutcome: (outcome, type, ms, topic) => this.metrics?.observeOutcome(group, outcome, type, ms, topic),
            onKafkaRequest: (client, api) => this.metrics?.observeKafkaRequest(client, api),
          })
        : undefined;
    for (const h of handlers) consumer?.on(h.definition, h.handle);
    this.handlesMessages = consumer !== undefined;
    this.metrics = new MessagingMetrics({
      registry,
      db: this.db,
      kafka: { brokers: this.options.brokers, sasl: this.options.sasl },
      consumerGroups: consumer ? [{ groupId: group, topics: consumer.topics }] : [],
    });

    if (this.options.databaseUrl && this.options.relay !== false) {
      this.relay = new OutboxRelay({
        service: this.options.service,
        databaseUrl: this.options.databaseUrl,
        brokers: this.options.brokers,
        sasl: this.options.sasl,
        wakeOnNotify: this.options.relayMode !== 'poll',
        pollIntervalMs: this.options.relayPollIntervalMs,
        inboxRetentionMs: this.options.inboxRetentionMs,
        onPublished: (batch) => this.metrics?.observePublished(batch),
        onKafkaRequest: (api) => this.metrics?.observeKafkaRequest('relay', api),
      });
      await this.relay.start();
    }
    if (consumer) this.consumer = consumer;
    // Kafka may be down at boot: keep trying in the background; readiness reports it meanwhile.
    void this.startKafkaSide(consumer, handlers.map((h) => `${h.definition.type}@${h.definition.version}`));
  }

  /**
   * Creates the topics the service uses that are missing, then starts the consumer, retrying each
   * until Kafka answers. A service of the shop names only its own topics (kafkaAccess): its
   * principal cannot see the others, and on the shop's brokers the admin has created them all.
   * Any other name (a test's) is taken to connect as admin and gets every contract topic.
   */
  private async startKafkaSide(consumer: MessageConsumer | undefined, types: string[]): Promise<void> {
    const { service, brokers, sasl } = this.options;
    const own = isServiceName(service) ? kafkaAccess(service) : undefined;
    const topics = own ? [...own.reads, ...own.writes].map((topic) => ({ topic, compacted: COMPACTED_TOPICS.includes(topic) })) : kafkaTopics();
    const created = await this.untilDone('could not create the topics', () => !this.stopped, () => ensureTopics({ brokers, sasl }, topics));
    if (!created || !consumer) return;
    const started = await this.untilDone(
      'consumer could not start',
      () => this.consumer === consumer, // onApplicationShutdown clears it
      () => consumer.start(),
      () => consumer.stop(),
    );
    if (started) this.logger.log(`consumer ${this.options.service} handles ${types.join(', ')} from ${consumer.topics.join(', ')}`);
  }

  /** Runs `attempt` until it succeeds (true) or `goOn` turns false (false), backing off 1 s more each time, 30 s at most. */
  private async untilDone(failure: string, goOn: () => boolean, attempt: () => Promise<unknown>, cleanUp?: () => Promise<unknown>): Promise<boolean> {
    for (let n = 1; goOn(); n++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        this.logger.warn(`${failure} (attempt ${n}): ${String(error)}`);
        await cleanUp?.().catch(() => undefined);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * n)));
      }
    }
    return false;
  }

  /** null when the service handles no messages; `joined: false` also once shutdown has begun. */
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

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const consumer = this.consumer;
    this.consumer = undefined; // also ends startKafkaSide's retry loop
    await consumer?.stop(this.options.consumerStopTimeoutMs ?? CONSUMER_STOP_TIMEOUT_MS).catch(() => undefined);
    await this.relay?.stop();
    await this.metrics?.close();
  }

  private findHandlers(): Array<{ definition: MessageDefinition; handle: (data: unknown, ctx: MessageContext) => Promise<void> }> {
    const found: Array<{ definition: MessageDefinition; handle: (data: unknown, ctx: MessageContext) => Promise<void> }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[name] as (data: unknown, ctx: MessageContext) => Promise<void>;
        // One method may handle several messages (@MessageHandler takes a list).
        for (const definition of this.reflector.get<MessageDefinition[] | undefined>(MESSAGE_HANDLER, method) ?? []) {
          found.push({ definition, handle: (data, ctx) => method.call(instance, data, ctx) });
        }
      }
    }
    return found;
  }
}
