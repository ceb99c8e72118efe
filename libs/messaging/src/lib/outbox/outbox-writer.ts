import { context, propagation } from '@opentelemetry/api';
import { Headers, type MessageDefinition } from '@shop/contracts';
import type { EntityManager } from 'typeorm';
import { createEnvelope, encodeEnvelope, type Causes, type Envelope } from '../envelope/envelope';
import type { ProducedSchemas } from '../schema-registry/produced-schemas';

export const OUTBOX_CHANNEL = 'outbox_message';

/**
 * Writes outgoing messages into the outbox table through the caller's transaction, so a
 * message exists if and only if the business change it announces was committed. The relay
 * publishes it afterwards. The row also keeps the trace context active at write time, so the
 * publish (later, in another process maybe) continues the same trace.
 */
export class OutboxWriter {
  /** @param schemas the registry references checked at boot: each message names its schema (CloudEvents dataschema) */
  constructor(
    private readonly source: string,
    private readonly schemas?: ProducedSchemas,
  ) {}

  async add<T>(manager: EntityManager, definition: MessageDefinition<T>, data: T, causes: Causes = {}): Promise<Envelope<T>> {
    const envelope = createEnvelope(definition, data, this.source, causes);
    const traceHeaders: Record<string, string> = {};
    propagation.inject(context.active(), traceHeaders);
    const dataschema = this.schemas?.referenceOf(definition);
    const record = encodeEnvelope(envelope, dataschema ? { [Headers.dataSchema]: dataschema, ...traceHeaders } : traceHeaders);
    // One round trip: the row, and a NOTIFY that reaches the relay's LISTEN when (and only
    // if) this transaction commits (Postgres folds a transaction's identical notifications into one).
    await manager.query(
      `WITH written AS (INSERT INTO outbox_message (message_id, topic, message_key, headers, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id)
       SELECT pg_notify($6, '') FROM written`,
      [envelope.id, definition.topic, record.key, JSON.stringify(record.headers), record.value, OUTBOX_CHANNEL],
    );
    return envelope;
  }
}
