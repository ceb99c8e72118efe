import { parsePrometheusText } from './prometheus-text';
import { serviceMessaging, unreadable } from './service-messaging';

const at = new Date('2026-12-02T10:00:00.000Z');

describe('serviceMessaging', () => {
  it("reads the outbox, the lag and the handled counter from a service's metrics", () => {
    const samples = parsePrometheusText(
      [
        'shop_outbox_backlog 2',
        'shop_outbox_oldest_unpublished_age_seconds 0.75',
        'shop_kafka_reachable 1',
        'shop_consumer_lag{group="order",topic="payment.events",partition="1"} 4',
        'shop_consumer_lag{group="order",topic="inventory.events",partition="0"} 0',
        'shop_messages_handled_total{consumer="order",type="payment.charged",outcome="handled"} 5',
        'shop_messages_handled_total{consumer="order",type="stock.reserved",outcome="handled"} 7',
        'shop_messages_handled_total{consumer="order",type="stock.reserved",outcome="dead_lettered"} 1',
        'shop_http_requests_total{route="/orders"} 99',
      ].join('\n'),
    );
    expect(serviceMessaging('order', at, samples)).toEqual({
      service: 'order',
      scrapedAt: '2026-12-02T10:00:00.000Z',
      error: null,
      outboxBacklog: 2,
      oldestUnpublishedAgeSeconds: 0.75,
      kafkaReachable: true,
      consumerLag: [
        { group: 'order', topic: 'inventory.events', partition: 0, lag: 0 },
        { group: 'order', topic: 'payment.events', partition: 1, lag: 4 },
      ],
      handledTotal: { handled: 12, dead_lettered: 1 },
    });
  });

  it('says null for what a service does not export, and false when Kafka did not answer its lag query', () => {
    const m = serviceMessaging('notification', at, parsePrometheusText('shop_kafka_reachable 0'));
    expect(m).toMatchObject({
      outboxBacklog: null,
      oldestUnpublishedAgeSeconds: null,
      kafkaReachable: false,
      consumerLag: [],
      handledTotal: {},
    });
  });

  it('keeps the reason a service could not be read', () => {
    expect(unreadable('payment', at, 'connection refused')).toMatchObject({
      service: 'payment',
      error: 'connection refused',
      outboxBacklog: null,
    });
  });
});
