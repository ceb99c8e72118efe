import type { PartitionLag, ServiceMessaging, ShopService } from '@shop/console-api';
import type { Sample } from './prometheus-text';

/**
 * The messaging figures of one service's metrics (libs/messaging's MessagingMetrics): outbox
 * backlog and oldest unpublished age, consumer lag per partition, and the handled counter summed
 * over consumers and types by outcome. A gauge the service does not export (notification has no
 * outbox) is null.
 */
export function serviceMessaging(service: ShopService, scrapedAt: Date, samples: Sample[]): ServiceMessaging {
  const one = (name: string): number | null => samples.find((s) => s.name === name)?.value ?? null;
  const reachable = one('shop_kafka_reachable');
  const consumerLag: PartitionLag[] = samples
    .filter((s) => s.name === 'shop_consumer_lag')
    .map((s) => ({
      group: s.labels['group'] ?? '',
      topic: s.labels['topic'] ?? '',
      partition: Number(s.labels['partition']),
      lag: s.value,
    }))
    .sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const handledTotal: Record<string, number> = {};
  for (const s of samples.filter((x) => x.name === 'shop_messages_handled_total')) {
    const outcome = s.labels['outcome'] ?? 'unknown';
    handledTotal[outcome] = (handledTotal[outcome] ?? 0) + s.value;
  }
  return {
    service,
    scrapedAt: scrapedAt.toISOString(),
    error: null,
    outboxBacklog: one('shop_outbox_backlog'),
    oldestUnpublishedAgeSeconds: one('shop_outbox_oldest_unpublished_age_seconds'),
    kafkaReachable: reachable === null ? null : reachable === 1,
    consumerLag,
    handledTotal,
  };
}

/** A service whose /metrics could not be read: the reason, no figures. */
export function unreadable(service: ShopService, scrapedAt: Date, error: string): ServiceMessaging {
  return {
    service,
    scrapedAt: scrapedAt.toISOString(),
    error,
    outboxBacklog: null,
    oldestUnpublishedAgeSeconds: null,
    kafkaReachable: null,
    consumerLag: [],
    handledTotal: {},
  };
}
