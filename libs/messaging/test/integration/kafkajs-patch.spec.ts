import { infra } from '@shop/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ensureTopics } from '../../src';

/**
 * patches/kafkajs+2.2.4.patch: unpatched, every kafkajs connection runs a 1 ms timer loop for
 * as long as it is open (its request queue reschedules a check with a negative timeout), which
 * cost each idle service about 30 ms of CPU per second (npm run bench). Checked on a real,
 * connected, idle client.
 */
describe('kafkajs as patched: an idle connection schedules no timer loop', () => {
  it('a connected producer that has sent a message sets (almost) no timers while idle', async () => {
    const topic = `test.idle.${randomUUID()}`;
    await ensureTopics(infra.kafka, [{ topic }], 1);
    const producer = new Kafka({ clientId: 'idle-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }] });
    const original = global.setTimeout;
    let timers = 0;
    global.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      timers++;
      return original(...args);
    }) as typeof setTimeout;
    try {
      // Observe one idle second (unpatched: hundreds of timers in it).
      await new Promise((done) => original(done, 1000));
    } finally {
      global.setTimeout = original;
      await producer.disconnect();
    }
    expect(timers).toBeLessThan(10);
  });
});
