import { defineMessage } from '@shop/contracts';

/** A test-only message on a topic of the test's own: a thing's id (the Kafka key) and a sequence number per thing. */
export function thingMessage(topic: string, type = 'test.thing-happened') {
  return defineMessage({
    type,
    version: 1,
    kind: 'event',
    topic,
    owner: 'test',
    description: 'test only',
    schema: { type: 'object', additionalProperties: false, required: ['thingId', 'seq'], properties: { thingId: { type: 'string' }, seq: { type: 'integer' } } },
    key: (d) => d.thingId,
  });
}
