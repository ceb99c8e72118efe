/** The shop's five services, in the order the console's Messaging and Health views list them. */
export const SHOP_SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

/** One partition's consumer lag as a service reports it (shop_consumer_lag). */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** What one service's /metrics says about its messaging, read by the console at `scrapedAt`. */
export interface ServiceMessaging {
  service: ShopService;
  scrapedAt: string;
  /** Why its /metrics could not be read; every figure below is then null or empty. */
  error: string | null;
  outboxBacklog: number | null;
  oldestUnpublishedAgeSeconds: number | null;
  /** shop_kafka_reachable: whether Kafka answered the service's last lag query. */
  kafkaReachable: boolean | null;
  consumerLag: PartitionLag[];
  /** shop_messages_handled_total summed over consumers and types, by outcome (handled, retried, duplicate, dead_lettered, ignored). */
  handledTotal: Record<string, number>;
}

/** GET /api/messaging. */
export interface MessagingOverview {
  now: string;
  services: ServiceMessaging[];
}

/** Messages per second by outcome between two readings of one service; null without two readings a moment apart. */
export function outcomeRates(previous: ServiceMessaging | undefined, current: ServiceMessaging): Record<string, number> | null {
  if (!previous || previous.error || current.error) return null;
  const seconds = (Date.parse(current.scrapedAt) - Date.parse(previous.scrapedAt)) / 1000;
  if (!(seconds > 0)) return null;
  const rates: Record<string, number> = {};
  for (const [outcome, total] of Object.entries(current.handledTotal)) {
    // A counter that went down means the service restarted: count from zero.
    const before = previous.handledTotal[outcome] ?? 0;
    rates[outcome] = (total >= before ? total - before : total) / seconds;
  }
  return rates;
}

/** One dead-lettered message, as the console lists it (read from the dlq-* and ce_* headers). */
export interface DeadLetterRow {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  type: string | null;
  messageId: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  consumer: string | null;
  errorClass: string | null;
  error: string | null;
  attempts: number | null;
  failedAt: string | null;
  /** When this console replayed it since it started (null: not replayed by this console). */
  replayedAt: string | null;
}

/** GET /api/dead-letters: each DLQ topic the console may read, with its messages. */
export interface DeadLetterList {
  now: string;
  /** Why the dead letters cannot be read (no Kafka credentials, Kafka down); topics is then empty. */
  error: string | null;
  topics: Array<{ topic: string; letters: DeadLetterRow[] }>;
}

/** POST /api/dead-letters/replay: which message to republish to its original topic. */
export interface ReplayRequest {
  dlqTopic: string;
  partition: number;
  offset: string;
}

export interface ReplayResult {
  originalTopic: string;
  replayedAt: string;
}

/** One line of the Health view: a service's probe or a piece of infrastructure. */
export interface HealthCheckRow {
  name: string;
  kind: 'service' | 'infrastructure';
  up: boolean;
  detail: string;
}

/** GET /api/health. */
export interface HealthOverview {
  now: string;
  checks: HealthCheckRow[];
}
