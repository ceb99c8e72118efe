import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { COMPACTED_TOPICS, TOPOLOGY } from '@shop/contracts';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { isServiceName, kafkaAccess, kafkaTopics } from '../kafka/kafka-access';
import { ensureTopics } from '../kafka/topics';
import { kafkaConnectionOf } from '../kafka/kafka-client';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../kafka/messaging-options';
import { MessagingMetrics } from '../metrics/messaging-metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { ProducedSchemas } from '../schema-registry/produced-schemas';
import { MessagingTransport } from '../transport/messaging-transport';
import { DependencyBreakers } from '../resilience/dependency-breakers';
import { keepTrying } from '../resilience/keep-trying';

/**
 * Starts a service's messaging when the application boots and stops it on shutdown: the topics,
 * the outbox relay and the metrics. The consumer belongs to MessagingTransport (a Nest
 * microservice, stopped before the application's shutdown hooks run, so before the relay and the
 * database); this runtime tells it when the topics exist and gives it the metrics.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private relay?: OutboxRelay;
  private metrics?: MessagingMetrics;
  private stopped = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly transport: MessagingTransport,
    private readonly db: DataSource,
    private readonly schemas: ProducedSchemas,
    private readonly breakers: DependencyBreakers,
    @Optional() private readonly registry?: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Before anything is sent: a service whose schemas the registry does not hold refuses to start.
    await this.verifySchemas();
    this.metrics = new MessagingMetrics({
      registry: this.registry ?? new Registry(),
      db: this.db,
      kafka: kafkaConnectionOf(this.options),
      // Read at scrape time: the transport may start listening after this hook has run.
      consumerGroups: () => this.transport.consumerGroups(),
      breakers: this.breakers,
    });
    this.transport.observeWith(this.metrics);

    if (this.options.databaseUrl && this.options.relay !== false) {
      this.relay = new OutboxRelay({
        service: this.options.service,
        databaseUrl: this.options.databaseUrl,
        ...kafkaConnectionOf(this.options),
        wakeOnNotify: this.options.relayMode !== 'poll',
        pollIntervalMs: this.options.relayPollIntervalMs,
        shards: this.options.relayShards,
        inboxRetentionMs: this.options.inboxRetentionMs,
        retentionMs: this.options.outboxRetentionMs,
        onPublished: (batch) => this.metrics?.observePublished(batch),
        onKafkaRequest: (api) => this.metrics?.observeKafkaRequest('relay', api),
      });
      await this.relay.start();
    }
    // Kafka may be down at boot: keep trying in the background; readiness reports it meanwhile.
    void this.createTopics();
  }

  private async verifySchemas(): Promise<void> {
    const { schemaRegistryUrl, service } = this.options;
    if (!schemaRegistryUrl) return;
    const sends = this.options.sends ?? (isServiceName(service) ? TOPOLOGY[service].sends : []);
    await this.schemas.verify(schemaRegistryUrl, sends as Parameters<ProducedSchemas['verify']>[1]);
    this.logger.log(`the ${sends.length} message schemas this service sends are registered at ${schemaRegistryUrl}`);
  }

  /**
   * Creates the topics the service uses that are missing, retrying until Kafka answers, then lets
   * the consumer start (it must not create a compacted topic as an ordinary one first). A service
   * of the shop names only its own topics (kafkaAccess): its principal cannot see the others,
   * and on the shop's brokers the admin has created them all. Any other name (a test's) is taken
   * to connect as admin and gets every contract topic.
   */
  private async createTopics(): Promise<void> {
    const { service } = this.options;
    const own = isServiceName(service) ? kafkaAccess(service) : undefined;
    const topics = own ? [...own.reads, ...own.writes].map((topic) => ({ topic, compacted: COMPACTED_TOPICS.includes(topic) })) : kafkaTopics();
    const created = await keepTrying(this.logger, 'could not create the topics', () => !this.stopped, () => ensureTopics(kafkaConnectionOf(this.options), topics));
    this.transport.topicsReady(created);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true; // also ends createTopics' retry loop
    await this.relay?.stop();
    await this.metrics?.close();
  }
}
