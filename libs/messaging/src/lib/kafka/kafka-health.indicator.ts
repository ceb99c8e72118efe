import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { kafkajsLogCreator } from './kafkajs-logger';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness of the Kafka connection, by asking the cluster to describe itself.
 * (terminus' built-in microservice check always times out for Kafka: nestjs/terminus#1690.)
 * A failed check drops the admin client, so the next check reconnects from scratch
 * and readiness comes back by itself when the broker does.
 */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly indicator: HealthIndicatorService,
  ) {
    this.kafka = new Kafka({
      clientId: `${options.service}-health`,
      brokers: options.brokers,
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
      const admin = await this.connectedAdmin();
      const cluster = await withTimeout(admin.describeCluster(), CHECK_TIMEOUT_MS);
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.dropAdmin();
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dropAdmin();
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await withTimeout(admin.connect(), CHECK_TIMEOUT_MS);
      return admin;
    })();
    return this.admin;
  }

  private async dropAdmin(): Promise<void> {
    const pending = this.admin;
    this.admin = undefined;
    if (!pending) return;
    await pending.then((admin) => admin.disconnect()).catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
