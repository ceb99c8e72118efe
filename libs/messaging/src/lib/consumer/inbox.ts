// The inbox statement, written once: the batch transaction and a delivery alone both use it.
import type { EntityManager } from 'typeorm';

/**
 * The inbox: records that `consumer` received these message ids, in the caller's transaction,
 * so the handlers' effects commit with the records and a redelivery finds them. One statement
 * for a batch's many messages (one multi-row insert) and for one alike. Returns the ids that were
 * not recorded yet: the ones to handle. The same id twice in `ids` is fresh once at most.
 */
export async function recordInInbox(manager: EntityManager, consumer: string, topic: string, ids: string[]): Promise<Set<string>> {
  const inserted = (await manager.query(
    `INSERT INTO inbox_message (consumer, message_id, topic) SELECT $1, id, $3 FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING message_id`,
    [consumer, ids, topic],
  )) as Array<{ message_id: string }>;
  return new Set(inserted.map((r) => r.message_id));
}
