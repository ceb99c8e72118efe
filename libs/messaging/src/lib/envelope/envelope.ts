import { Headers, type MessageDefinition } from '@shop/contracts';
import { randomUUID } from 'node:crypto';
import { PoisonMessageError } from '../errors';

/**
 * A message as CloudEvents 1.0 sees it. On Kafka (binary content mode) the attributes travel as
 * `ce_*` headers and the value is the JSON data; the key is the aggregate id.
 */
export interface Envelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  source: string;
  time: string;
  subject: string;
  correlationId: string;
  causationId: string | null;
  data: T;
}

export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** What kafkajs hands a consumer. */
export interface IncomingKafkaMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

export interface Causes {
  /** The id shared by every message of one business flow (an order's saga). Defaults to the new message's id. */
  correlationId?: string;
  /** The id of the message that caused this one. */
  causationId?: string | null;
}

export function createEnvelope<T>(definition: MessageDefinition<T>, data: T, source: string, causes: Causes = {}): Envelope<T> {
  const id = randomUUID();
  return {
    id,
    type: definition.type,
    version: definition.version,
    source,
    time: new Date().toISOString(),
    subject: definition.key(data),
    correlationId: causes.correlationId ?? id,
    causationId: causes.causationId ?? null,
    data,
  };
}

/** The causes for a message sent because of `incoming`: same correlation, caused by it. */
export function causedBy(incoming: Pick<Envelope, 'id' | 'correlationId'>): Causes {
  return { correlationId: incoming.correlationId, causationId: incoming.id };
}

export function encodeEnvelope(envelope: Envelope, extraHeaders: Record<string, string> = {}): KafkaRecord {
  const headers: Record<string, string> = {
    [Headers.id]: envelope.id,
    [Headers.type]: envelope.type,
    [Headers.source]: envelope.source,
    [Headers.specVersion]: '1.0',
    [Headers.time]: envelope.time,
    [Headers.subject]: envelope.subject,
    [Headers.contentType]: 'application/json',
    [Headers.dataVersion]: String(envelope.version),
    [Headers.correlationId]: envelope.correlationId,
    ...extraHeaders,
  };
  if (envelope.causationId) headers[Headers.causationId] = envelope.causationId;
  return { key: envelope.subject, value: JSON.stringify(envelope.data), headers };
}

/** Kafka headers as plain strings (kafkajs gives Buffers). */
export function headerStrings(message: IncomingKafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/** Reads a Kafka message back into an envelope. A message that cannot be read is poison: it will never succeed. */
export function decodeEnvelope(message: IncomingKafkaMessage): Envelope {
  const headers = headerStrings(message);
  const required = (name: string) => headers[name] ?? fail('MISSING_HEADER', `header ${name} is missing`);
  if (headers[Headers.specVersion] !== '1.0') fail('MISSING_HEADER', `header ${Headers.specVersion} must be 1.0`);
  const contentType = headers[Headers.contentType] ?? '';
  if (!contentType.startsWith('application/json')) fail('UNSUPPORTED_CONTENT_TYPE', `content-type ${contentType || '(none)'} is not application/json`);
  const version = Number(required(Headers.dataVersion));
  if (!Number.isInteger(version) || version < 1) fail('MISSING_HEADER', `header ${Headers.dataVersion} must be a positive integer`);
  let data: unknown;
  try {
    data = JSON.parse(message.value?.toString() ?? '');
  } catch (error) {
    fail('INVALID_JSON', `value is not JSON: ${(error as Error).message}`);
  }
  return {
    id: required(Headers.id),
    type: required(Headers.type),
    version,
    source: required(Headers.source),
    time: required(Headers.time),
    subject: headers[Headers.subject] ?? message.key?.toString() ?? '',
    correlationId: headers[Headers.correlationId] ?? required(Headers.id),
    causationId: headers[Headers.causationId] ?? null,
    data,
  };
}

function fail(reason: PoisonMessageError['reason'], detail: string): never {
  throw new PoisonMessageError(reason, detail);
}
