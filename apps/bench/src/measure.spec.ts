import { parseKafkaRequests } from './measure';

describe('parseKafkaRequests', () => {
  it('sums shop_kafka_requests_total by client and API and ignores every other metric', () => {
    const exposition = [
      '# HELP shop_kafka_requests_total Requests ...',
      '# TYPE shop_kafka_requests_total counter',
      'shop_kafka_requests_total{client="consumer",api="Fetch"} 120',
      'shop_kafka_requests_total{client="consumer",api="OffsetCommit"} 30',
      'shop_kafka_requests_total{client="relay",api="Produce"} 45',
      'shop_kafka_requests_total{api="Produce",client="relay"} 5',
      'shop_messages_handled_total{consumer="order",type="x",outcome="handled"} 99',
    ].join('\n');
    expect(parseKafkaRequests(exposition)).toEqual({ 'consumer Fetch': 120, 'consumer OffsetCommit': 30, 'relay Produce': 50 });
  });
});
