import { Headers } from './headers';
import type { JsonSchema, MessageDefinition } from './message-definition';
import { ALL_MESSAGES, ALL_TOPICS, COMPACTED_TOPICS } from './registry';
import { subjectOf } from './schema-registry';
import { TOPOLOGY, type ServiceName } from './topology';

/**
 * The event catalog, generated from the contracts and the topology: an AsyncAPI 3 document
 * (channels = Kafka topics, messages with their JSON Schemas and CloudEvents headers, one send
 * or receive operation per service and message) and a Markdown page for people.
 * `npm run contracts:docs` writes both to docs/; a test keeps the committed files current.
 */
export function messageId(d: Pick<MessageDefinition<unknown>, 'type' | 'version'>): string {
  return `${d.type}.v${d.version}`;
}

const HEADERS_SCHEMA = {
  type: 'object',
  required: [Headers.id, Headers.type, Headers.source, Headers.specVersion, Headers.time, Headers.contentType, Headers.dataVersion, Headers.correlationId],
  properties: {
    [Headers.id]: { type: 'string', description: 'CloudEvents id: unique per message (the inbox key)' },
    [Headers.type]: { type: 'string', description: 'CloudEvents type: the message type, e.g. order.placed' },
    [Headers.source]: { type: 'string', description: 'CloudEvents source: the sending service' },
    [Headers.specVersion]: { type: 'string', const: '1.0' },
    [Headers.time]: { type: 'string', format: 'date-time' },
    [Headers.subject]: { type: 'string', description: 'the aggregate id, also the Kafka key' },
    [Headers.contentType]: { type: 'string', const: 'application/json' },
    [Headers.dataSchema]: { type: 'string', format: 'uri', description: 'CloudEvents dataschema: the schema registry URL of the subject version the data follows (when the service runs with a registry)' },
    [Headers.dataVersion]: { type: 'string', description: 'the message version (contract version)' },
    [Headers.correlationId]: { type: 'string', description: 'shared by every message of one flow (the order id for saga traffic)' },
    [Headers.causationId]: { type: 'string', description: 'the id of the message that caused this one; a saga reply names the command it answers' },
    [Headers.traceparent]: { type: 'string', description: 'W3C trace context' },
  },
};

const SERVICES = Object.keys(TOPOLOGY) as ServiceName[];

/** The local schema registry's Confluent-compatible API (`scripts/infra/infra.sh start registry`). */
const LOCAL_REGISTRY = 'http://127.0.0.1:8081/apis/ccompat/v7';

function payloadOf(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return rest;
}

const sendersOf = (d: MessageDefinition) => SERVICES.filter((s) => TOPOLOGY[s].sends.includes(d));
const receiversOf = (d: MessageDefinition) => SERVICES.filter((s) => TOPOLOGY[s].receives.includes(d));

export function buildAsyncApi(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const topic of ALL_TOPICS) {
    channels[topic] = {
      address: topic,
      description: topic.endsWith('.commands') ? `Commands for the ${topic.split('.')[0]} service` : `Events of the ${topic.split('.')[0]} service`,
      messages: Object.fromEntries(ALL_MESSAGES.filter((d) => d.topic === topic).map((d) => [messageId(d), { $ref: `#/components/messages/${messageId(d)}` }])),
      ...(COMPACTED_TOPICS.includes(topic) ? { bindings: { kafka: { topicConfiguration: { 'cleanup.policy': ['compact'] } } } } : {}),
    };
  }
  const operations: Record<string, unknown> = {};
  for (const service of SERVICES) {
    for (const [action, defs] of [['send', TOPOLOGY[service].sends], ['receive', TOPOLOGY[service].receives]] as const) {
      for (const d of defs) {
        operations[`${service}.${action}.${messageId(d)}`] = {
          action,
          summary: `${service} ${action}s ${d.type} v${d.version}`,
          channel: { $ref: `#/channels/${d.topic}` },
          messages: [{ $ref: `#/channels/${d.topic}/messages/${messageId(d)}` }],
          tags: [{ name: service }],
        };
      }
    }
  }
  const messages = Object.fromEntries(
    ALL_MESSAGES.map((d) => [
      messageId(d),
      {
        name: d.type,
        title: `${d.type} v${d.version}`,
        summary: d.description,
        contentType: 'application/json',
        headers: HEADERS_SCHEMA,
        payload: payloadOf(d.schema),
        tags: [{ name: d.kind }, { name: `owner:${d.owner}` }],
        // Its subject in the schema registry (npm run contracts:register), one per type and version.
        'x-schema-registry-subject': subjectOf(d),
        externalDocs: { description: `schema registry subject ${subjectOf(d)} (local registry)`, url: `${LOCAL_REGISTRY}/subjects/${subjectOf(d)}/versions/latest` },
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Shop platform events and commands',
      version: '1.0.0',
      description:
        'Every message the five services exchange over Kafka, generated from libs/contracts. Messages are CloudEvents 1.0 in binary mode: ce_* headers, JSON value, Kafka key = the aggregate id.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'npm run shop' } },
    channels,
    operations,
    components: { messages },
  };
}

/** The same catalog as Markdown: per topic, each message with who sends and receives it and its fields. */
export function renderEventCatalog(): string {
  const out = [
    '# Event catalog',
    '',
    'Generated from `libs/contracts` by `npm run contracts:docs` (do not edit). The machine-readable',
    'version is [asyncapi.json](asyncapi.json) (AsyncAPI 3). Headers of every message: `ce_id`,',
    '`ce_type`, `ce_source`, `ce_specversion`, `ce_time`, `ce_subject`, `content-type`,',
    '`ce_dataversion`, `ce_correlationid`, `ce_causationid`, `traceparent`, and `ce_dataschema` (the schema',
    'registry URL of the subject version the data follows) when the service runs with a registry.',
    '',
    'A consumer accepts a message only on the topic listed for it here: the same type on another topic',
    'is dead-lettered as forged (`FORGED`), never applied. A saga reply is accepted only when its',
    '`ce_causationid` is the id of the command it answers.',
    '',
  ];
  for (const topic of ALL_TOPICS) {
    out.push(`## \`${topic}\``, '');
    for (const d of ALL_MESSAGES.filter((x) => x.topic === topic)) {
      const senders = sendersOf(d).join(', ') || '(none)';
      const receivers = receiversOf(d).join(', ') || '(none yet)';
      out.push(`### ${d.type} v${d.version} (${d.kind})`, '', d.description, '', `Sent by: ${senders}. Received by: ${receivers}.`, '');
      out.push(`Schema registry subject: [\`${subjectOf(d)}\`](${LOCAL_REGISTRY}/subjects/${subjectOf(d)}/versions/latest) (local registry).`, '');
      out.push('| field | type | required |', '|---|---|---|');
      const props = (d.schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((d.schema['required'] ?? []) as string[]);
      for (const [name, s] of Object.entries(props)) out.push(`| \`${name}\` | ${String(s['type'] ?? '')} | ${required.has(name) ? 'yes' : 'no'} |`);
      out.push('');
    }
  }
  return out.join('\n');
}
