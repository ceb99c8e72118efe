import type { MessageDefinition } from '@shop/contracts';
import type { RetryPolicy } from '../resilience/backoff';
import type { BreakerSettings } from '../resilience/dependency-breaker';
import type { KafkaConnection } from './kafka-client';

/** The connection's `sasl` is the service's own principal: every Kafka client of the service connects with it. */
export interface MessagingModuleOptions extends KafkaConnection {
  /** The Kafka client id, the consumer group, and the `source` of the messages this service publishes. */
  service: string;
  /** The service's database, for the outbox relay's own connection (LISTEN and its shard leases). */
  databaseUrl?: string;
  /** Run the outbox relay in this process (default true when databaseUrl is given). */
  relay?: boolean;
  /** `notify` (default): wake on LISTEN/NOTIFY, poll as a fallback; `poll`: poll only. */
  relayMode?: 'notify' | 'poll';
  /** The relay's poll interval (default 1000 ms). */
  relayPollIntervalMs?: number;
  /** Outbox shards (OutboxRelayOptions.shards): how many replicas can publish in parallel. */
  relayShards?: number;
  /** Inbox records older than this are pruned by the relay (default 8 days). */
  inboxRetentionMs?: number;
  /** Outbox rows published longer ago than this are pruned by the relay (default one day). */
  outboxRetentionMs?: number;
  retry?: RetryPolicy;
  /** The consumer's database breaker: its probe schedule and trial window (default DEFAULT_BREAKER_SETTINGS). */
  breaker?: Partial<BreakerSettings>;
  /** How long shutdown waits for the consumer to leave its group (default 3000 ms). */
  consumerStopTimeoutMs?: number;
  /**
   * The messages handler patterns (`patternOf(definition)`) are looked up in: default every
   * contract (ALL_MESSAGES). A test passes its own definitions to route to topics of its own.
   */
  messages?: ReadonlyArray<MessageDefinition<never>>;
  /**
   * The schema registry's Confluent-compatible API (SCHEMA_REGISTRY_URL, e.g.
   * `http://127.0.0.1:8081/apis/ccompat/v7`). When set, the service refuses to start unless every
   * message it sends has its schema registered under its subject, and each message names that
   * subject version in its CloudEvents `dataschema`. Unset: no check, no `dataschema`.
   */
  schemaRegistryUrl?: string;
  /**
   * The messages this service sends, checked against the registry: default what the contracts'
   * TOPOLOGY says the service sends (a shop service), else none. A test passes its own.
   */
  sends?: ReadonlyArray<MessageDefinition<never>>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
