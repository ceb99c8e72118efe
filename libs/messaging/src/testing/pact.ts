import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_MESSAGES, Headers, type MessageDefinition } from '@shop/contracts';
import { MatchersV3, type ConcreteMessage } from '@pact-foundation/pact';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EntityManager } from 'typeorm';
import { MessageContext } from '../lib/transport/message-context';
import { patternOf } from '../lib/transport/message-pattern';
import { createEnvelope, encodeEnvelope, type Causes, type Envelope } from '../lib/envelope/envelope';
import { MessageValidator } from '../lib/envelope/message-validator';

/**
 * Pact message contracts on the shop's wire format. A consumer test describes each message it
 * takes as an example, which becomes a type-matching expectation on the content and on the
 * CloudEvents headers (Pact "metadata"); Pact hands the example to the test, which decodes and
 * validates it exactly like the real consumer (`envelopeFromPact`) and feeds it to the real
 * handler. A provider test builds each message with the provider's real code, captured by a
 * `RecordingOutbox`, and returns it with its headers (`messageForPact`).
 */
export const PACT_DIR = resolve(__dirname, '../../../../pacts');

export function pactFile(consumer: string, provider: string): string {
  return resolve(PACT_DIR, `${consumer}-${provider}.json`);
}

/** The interaction's name: the message's wire type and version, e.g. `inventory.reserve-stock v1`. */
export function contractDescription(definition: Pick<MessageDefinition<unknown>, 'type' | 'version'>): string {
  return `${definition.type} v${definition.version}`;
}

/**
 * An example turned into Pact matchers: every field must be there with the same JSON type
 * (whole numbers stay whole numbers), arrays need at least one element like the first.
 */
export function matching(example: unknown): unknown {
  if (Array.isArray(example)) return MatchersV3.eachLike(matching(example[0]), 1);
  if (example !== null && typeof example === 'object') {
    return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, matching(v)]));
  }
  if (typeof example === 'number') return Number.isInteger(example) ? MatchersV3.integer(example) : MatchersV3.decimal(example);
  if (typeof example === 'string') return MatchersV3.string(example);
  if (typeof example === 'boolean') return MatchersV3.boolean(example);
  return example;
}

/**
 * The headers a consumer relies on: the type and version exactly, the others present as strings.
 * `causation`: the message must name the one that caused it (ce_causationid), as a saga reply
 * names the command it answers.
 */
export function pactMetadata<T>(definition: MessageDefinition<T>, { causation = false }: { causation?: boolean } = {}) {
  return {
    ...(causation ? { [Headers.causationId]: MatchersV3.string('5d1e7c2a-3b4f-4e6a-8c9d-0a1b2c3d4e5f') } : {}),
    [Headers.type]: MatchersV3.equal(definition.type),
    [Headers.dataVersion]: MatchersV3.equal(String(definition.version)),
    [Headers.specVersion]: MatchersV3.equal('1.0'),
    [Headers.contentType]: MatchersV3.equal('application/json'),
    [Headers.id]: MatchersV3.string('0b6f3a4e-6c1d-4d55-9a57-2f8f4c1e9d10'),
    [Headers.source]: MatchersV3.string('order'),
    [Headers.time]: MatchersV3.string('2026-11-25T12:00:00.000Z'),
    [Headers.subject]: MatchersV3.string('order-1'),
    [Headers.correlationId]: MatchersV3.string('order-1'),
  };
}

const validator = new MessageValidator();

/** Reads the message Pact hands to a consumer test the way the real consumer reads a Kafka record, and validates it against the contract. */
export function envelopeFromPact<T>(definition: MessageDefinition<T>, message: ConcreteMessage): Envelope<T> {
  const meta = (message.metadata ?? {}) as Record<string, string>;
  const envelope: Envelope<T> = {
    id: meta[Headers.id],
    type: meta[Headers.type],
    version: Number(meta[Headers.dataVersion]),
    source: meta[Headers.source],
    time: meta[Headers.time],
    subject: meta[Headers.subject],
    correlationId: meta[Headers.correlationId],
    causationId: meta[Headers.causationId] ?? null,
    data: message.contents as T,
  };
  const found = validator.validate(envelope);
  if (found !== definition) throw new Error(`expected ${contractDescription(definition)}, got ${envelope.type} v${envelope.version}`);
  return envelope;
}

/** What a provider test returns to Pact: the message's data, with its Kafka headers as metadata. */
export function messageForPact(envelope: Envelope): { __pactMessageMetadata: Record<string, string>; message: unknown } {
  const record = encodeEnvelope(envelope);
  return { __pactMessageMetadata: record.headers as Record<string, string>, message: envelope.data };
}

/**
 * The messages a handler class takes (its @EventPattern methods), for a consumer's pact to check
 * it covers each of them. Fails on a pattern that names no contract, as the transport would.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function messagesHandledBy(target: Function): MessageDefinition[] {
  const proto = target.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((name) => {
    const method = proto[name];
    const patterns = typeof method === 'function' ? ((Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined) ?? []) : [];
    return patterns.map((pattern) => {
      const definition = ALL_MESSAGES.find((d) => patternOf(d) === pattern);
      if (!definition) throw new Error(`${target.name}.${name}: no contract has the pattern ${String(pattern)}`);
      return definition;
    });
  });
}

/** A MessageContext for calling a handler directly; its manager is a stand-in the collaborators receive. */
export function testContext(envelope: Envelope, manager: unknown = { stand_in: 'EntityManager' }): MessageContext {
  return new MessageContext({ manager: manager as EntityManager, envelope, topic: 'test', partition: 0, offset: '0', attempt: 1, heartbeat: async () => undefined });
}

/** Stands in for OutboxWriter: keeps what the provider's code sends, built by the real envelope code. */
export class RecordingOutbox {
  readonly sent: Envelope[] = [];

  constructor(private readonly source: string) {}

  async add<T>(_manager: EntityManager, definition: MessageDefinition<T>, data: T, causes: Causes = {}): Promise<Envelope<T>> {
    const envelope = createEnvelope(definition, data, this.source, causes);
    this.sent.push(envelope);
    return envelope;
  }

  /** The last message of that definition sent; fails the test if none was. */
  last(definition: Pick<MessageDefinition<unknown>, 'type' | 'version'>): Envelope {
    const found = [...this.sent].reverse().find((e) => e.type === definition.type && e.version === definition.version);
    if (!found) throw new Error(`${contractDescription(definition)} was not sent (sent: ${this.sent.map((e) => e.type).join(', ') || 'nothing'})`);
    return found;
  }

  /** Pact message providers for these definitions: each answers with the last such message sent (optionally tampered with). */
  providers(definitions: ReadonlyArray<Pick<MessageDefinition<unknown>, 'type' | 'version'>>, tamper: (e: Envelope) => Envelope = (e) => e) {
    return Object.fromEntries(definitions.map((d) => [contractDescription(d), () => messageForPact(tamper(this.last(d)))]));
  }
}

/** The interactions of a pact file (for checking coverage). */
export function pactInteractions(file: string): string[] {
  if (!existsSync(file)) return [];
  const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions?: Array<{ description: string }>; messages?: Array<{ description: string }> };
  return (pact.interactions ?? pact.messages ?? []).map((i) => i.description);
}
