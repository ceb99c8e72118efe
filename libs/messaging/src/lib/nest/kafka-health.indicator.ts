import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { consumerLag } from '../kafka/consumer-lag';
import { kafkaClient } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../kafka/messaging-options';
import { MessagingTransport } from '../transport/messaging-transport';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness of the Kafka side: `check` asks the cluster to describe itself (terminus' built-in
 * microservice check always times out for Kafka: nestjs/terminus#1690); `checkConsumer` says
 * whether the service's consumer is subscribed and has caught up with the state it copies.
 * A failed check drops the admin client, so the next check reconnects from scratch
 * and readiness comes back by itself when the broker does.
 */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  /** The admin's calls run one at a time (see withAdmin). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set once the consumer has applied what was on its compacted topics (see checkConsumer). */
  private holdsState = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly indicator: HealthIndicatorService,
    private readonly transport: MessagingTransport,
  ) {
    this.kafka = kafkaClient(options, {
      clientId: `${options.service}-health`,
      connectionTimeout: CHECK_TIMEOUT_MS,
      requestTimeout: CHECK_TIMEOUT_MS,
      // A probe answers now or says down; retrying belongs to the caller's next probe.
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
      logCreator: kafkajsLogCreator,
    });
  }

  async check<K extends string>(key: K) {
    const session = this.indicator.check(key);
    try {
      const cluster = await this.withAdmin((admin) => admin.describeCluster());
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.dropAdmin();
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Whether Kafka answers right now (describeCluster within the check timeout). */
  async reachable(): Promise<boolean> {
    try {
      await this.withAdmin((admin) => admin.describeCluster());
      return true;
    } catch {
      await this.dropAdmin();
      return false;
    }
  }

  /** Whether this service's consumer has joined its group (false before, and after a crash until it rejoins). */
  consumerJoined(): boolean {
    return this.transport.consumerStatus()?.joined ?? false;
  }

  /**
   * Up when the service can do its messaging work:
   * - its consumer has joined its group (until then it receives nothing);
   * - once per process, it holds the state it copies from compacted topics (order's catalog):
   *   there is something on them and it has applied all of it. An empty topic is no copy yet
   *   (inventory has not published): order could only refuse every order as an unknown SKU.
   *   After that first catch-up, a copy a few messages behind under load is normal, not a
   *   reason to stop serving.
   * The details list the handled message types: what the consumer is subscribed to, for a test
   * or an operator to see.
   */
  async checkConsumer<K extends string>(key: K) {
    const session = this.indicator.check(key);
    const status = this.transport.consumerStatus();
    if (!status) return session.up({ handles: [] });
    const details = { group: status.group, handles: status.handles, topics: status.topics };
    if (!status.joined) return session.down({ ...details, message: `consumer ${status.group} has not joined its group yet` });
    if (!this.holdsState && status.stateTopics.length > 0) {
      const state = status.stateTopics.join(', ');
      try {
        const lag = await this.withAdmin((admin) => consumerLag(admin, [{ groupId: status.group, topics: status.stateTopics }]));
        const behind = lag.reduce((sum, l) => sum + l.lag, 0);
        if (behind > 0) return session.down({ ...details, message: `catching up on ${state}: ${behind} message(s) to apply` });
        if (lag.every((l) => l.end === 0)) return session.down({ ...details, message: `waiting for ${state}: nothing published there yet` });
      } catch (error) {
        await this.dropAdmin();
        return session.down({ ...details, message: error instanceof Error ? error.message : String(error) });
      }
      this.holdsState = true;
    }
    return session.up(details);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dropAdmin();
  }

  /**
   * Runs `call` on the connected admin, after any call still in flight, within the check timeout.
   * kafkajs' admin is not safe for concurrent calls: a describeCluster refreshing the metadata
   * while fetchOffsets looks for the group coordinator fails it with "No brokers in the broker
   * pool" (seen here when terminus ran both checks at once).
   */
  private withAdmin<T>(call: (admin: Admin) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => withTimeout(call(await this.connectedAdmin()), CHECK_TIMEOUT_MS));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await withTimeout(admin.connect(), CHECK_TIMEOUT_MS);
      return admin;
    })();
    return this.admin;
  }

  /**
   * Forgets the admin client and disconnects it, waiting at most the check timeout: kafkajs'
   * disconnect waits for requests in flight, and with the broker gone it can wait for ever
   * (kafkajs#918), which would hang every later probe (and the deadline watcher that asks one).
   */
  private async dropAdmin(): Promise<void> {
    const pending = this.admin;
    this.admin = undefined;
    if (!pending) return;
    await withTimeout(pending.then((admin) => admin.disconnect()), CHECK_TIMEOUT_MS).catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
