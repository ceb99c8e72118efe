import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox shards and their leases (see RelayLeases): each row's shard comes from a hash of its
 * message key, fixed when the row is written; each shard is published by the relay that holds
 * its lease; the members table tells the relays how many of them are alive.
 */
export class CreateOutboxRelayLeases1764001600000 implements MigrationInterface {
  name = 'CreateOutboxRelayLeases1764001600000';

  async up(q: QueryRunner): Promise<void> {
    // hashtext is immutable; computed once, when the row is written.
    await q.query(`ALTER TABLE outbox_message ADD COLUMN key_hash integer GENERATED ALWAYS AS (hashtext(message_key)) STORED`);
    await q.query(`
      CREATE TABLE outbox_relay_lease (
        shard       integer      PRIMARY KEY,
        holder      text,
        expires_at  timestamptz  NOT NULL DEFAULT '-infinity'
      )`);
    await q.query(`
      CREATE TABLE outbox_relay_member (
        holder   text         PRIMARY KEY,
        seen_at  timestamptz  NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_relay_member`);
    await q.query(`DROP TABLE outbox_relay_lease`);
    await q.query(`ALTER TABLE outbox_message DROP COLUMN key_hash`);
  }
}
