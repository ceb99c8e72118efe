import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, messagingMigrations } from '@shop/messaging';
import { LoggerModule } from 'nestjs-pino';
import { Registry } from 'prom-client';
import type { EntitySchema, MixedList } from 'typeorm';
import { BearerAuthGuard, RolesGuard } from './auth/auth.guards';
import { JwtStrategy } from './auth/jwt.strategy';
import { breakerSettings, type ServiceConfig, type StreamServiceConfig } from './config/service-config';
import { AfterCommitSubscriber } from './database/after-commit';
import { FaultSwitch } from './faults/fault-switch';
import { FaultsController } from './faults/faults.controller';
import { databaseServiceReadiness, HealthController } from './health/health.controller';
import { ProbeAddresses } from './health/probe-addresses';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { loggerOptions } from './logging/logger-options';
import { RequestLogContextMiddleware } from './logging/request-log-context';
import { ShutdownLogger } from './logging/shutdown-logger';
import { TypeOrmLogger } from './logging/typeorm-logger';
import { HttpMetrics, HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { createMetricsRegistry } from './metrics/metrics-registry';
import { WorkerRuntime } from './workers/worker-runtime';

export interface PlatformModuleOptions {
  service: string;
  config: ServiceConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
}

/**
 * The chassis every service stands on: JSON logs, its own Postgres database (migrations,
 * never synchronize), the Kafka connection, /health/live, /health/ready and /metrics, and the
 * fault switch (GET/PUT /admin/faults when FAULT_ADMIN_ENABLED=true, admin role only), the
 * `WorkerRuntime` the background workers share (@nestjs/schedule's SchedulerRegistry and the
 * worker metrics), and sign-in: every HTTP route needs a valid bearer token from the OIDC
 * issuer (BearerAuthGuard) unless it is @Public() (health, metrics), and @RequireRoles() on top
 * (RolesGuard).
 */
@Global()
@Module({})
export class PlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogContextMiddleware, HttpMetricsMiddleware).forRoutes('{*path}');
  }

  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { service, config } = options;
    const chassis = PlatformModule.chassis(service, config);
    return {
      module: PlatformModule,
      imports: [
        ...chassis.imports,
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.DATABASE_URL,
          entities: options.entities ?? [],
          migrations: [...messagingMigrations, ...(options.migrations ?? [])],
          subscribers: [AfterCommitSubscriber],
          migrationsRun: config.DATABASE_MIGRATE_ON_BOOT,
          synchronize: false,
          logger: new TypeOrmLogger(),
          applicationName: service,
          // Fail a connection attempt fast; the pool reconnects on the next query after an outage.
          extra: { connectionTimeoutMillis: 2000, max: 10 },
          retryAttempts: 5,
          retryDelay: 2000,
        }),
        MessagingModule.forRoot({
          service,
          brokers: config.KAFKA_BROKERS,
          sasl: { username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD },
          tls: config.KAFKA_SECURITY_PROTOCOL === 'SASL_SSL',
          databaseUrl: config.DATABASE_URL,
          relayMode: config.OUTBOX_RELAY_MODE,
          relayPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
          relayShards: config.OUTBOX_RELAY_SHARDS,
          inboxRetentionMs: config.INBOX_RETENTION_HOURS * 60 * 60 * 1000,
          outboxRetentionMs: config.OUTBOX_RETENTION_HOURS * 60 * 60 * 1000,
          schemaRegistryUrl: config.SCHEMA_REGISTRY_URL,
          breaker: breakerSettings(config),
        }),
      ],
      controllers: [...chassis.controllers, ...(config.FAULT_ADMIN_ENABLED ? [FaultsController] : [])],
      providers: [
        ...chassis.providers,
        databaseServiceReadiness,
        { provide: FaultSwitch, useFactory: () => new FaultSwitch({ delayMs: config.FAULT_DELAY_MS, failureRate: config.FAULT_FAILURE_RATE }) },
      ],
      exports: [Registry, FaultSwitch, WorkerRuntime],
    };
  }

  /**
   * The chassis of a service without a database, whose state lives in Kafka (analytics): the
   * same logs, sign-in, problem+json, /health/live, /health/ready and /metrics, but no TypeORM, no
   * outbox or inbox and no messaging transport (the service runs its own Kafka clients through
   * @shop/messaging). The service provides what /health/ready checks (READINESS_CHECKS) from a
   * global module of its own.
   */
  static forStream(options: { service: string; config: StreamServiceConfig }): DynamicModule {
    const chassis = PlatformModule.chassis(options.service, options.config);
    return { module: PlatformModule, imports: chassis.imports, controllers: chassis.controllers, providers: chassis.providers, exports: [Registry, WorkerRuntime] };
  }

  /** What every kind of service shares. */
  private static chassis(service: string, config: StreamServiceConfig) {
    return {
      imports: [LoggerModule.forRoot(loggerOptions(service, config.LOG_LEVEL)), TerminusModule.forRoot({ logger: false }), PassportModule, ScheduleModule.forRoot()],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ProbeAddresses, useFactory: () => new ProbeAddresses(config.HEALTH_DETAILS_FROM) },
        { provide: Registry, useFactory: () => createMetricsRegistry(service) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: JwtStrategy, useFactory: () => new JwtStrategy({ issuer: config.OIDC_ISSUER, audience: config.OIDC_AUDIENCE, jwksUri: config.OIDC_JWKS_URI }) },
        // In this order: who is it (401), then may they (403).
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        ShutdownLogger,
        HttpMetrics,
        WorkerRuntime,
      ],
    };
  }
}
