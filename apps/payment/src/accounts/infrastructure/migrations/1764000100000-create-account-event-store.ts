import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccountEventStore1764000100000 implements MigrationInterface {
  name = 'CreateAccountEventStore1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_event (
        account_id   text         NOT NULL,
        version      integer      NOT NULL CHECK (version > 0),
        type         text         NOT NULL,
        data         jsonb        NOT NULL,
        occurred_at  timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, version)
      )`);
    await q.query(`
      CREATE TABLE account_snapshot (
        account_id  text         PRIMARY KEY,
        version     integer      NOT NULL,
        state       jsonb        NOT NULL,
        taken_at    timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_snapshot`);
    await q.query(`DROP TABLE account_event`);
  }
}
