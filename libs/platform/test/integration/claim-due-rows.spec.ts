import { recreateDatabase } from '@shop/testing';
import { Column, DataSource, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import { claimDueRows } from '../../src/lib/workers/claim-due-rows';

@Entity('job')
class JobEntity {
  @PrimaryColumn('int')
  id: number;

  @Column({ type: 'timestamptz', name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', name: 'done_at', nullable: true })
  doneAt: Date | null;
}

/** claimDueRows against the real Postgres: concurrent claimers share the due rows, none twice. */
describe('claimDueRows', () => {
  let db: DataSource;
  const due = (m: EntityManager) => m.getRepository(JobEntity).createQueryBuilder('j').where('j.done_at IS NULL AND j.next_attempt_at <= now()').orderBy('j.id');

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', url: await recreateDatabase('test_platform_claim_due_rows'), entities: [JobEntity] });
    await db.initialize();
    await db.query('CREATE TABLE job (id int PRIMARY KEY, next_attempt_at timestamptz NOT NULL, done_at timestamptz)');
    // 10 due, 2 not due yet.
    await db.query(`INSERT INTO job (id, next_attempt_at) SELECT g, now() - interval '1 minute' FROM generate_series(1, 10) g`);
    await db.query(`INSERT INTO job (id, next_attempt_at) VALUES (11, now() + interval '1 hour'), (12, now() + interval '1 hour')`);
  });

  afterAll(() => db?.destroy());

  it('gives two claimers at once disjoint batches (SKIP LOCKED), a third nothing while they hold them, and commits what they wrote', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    let bothHolding!: () => void;
    const bothHold = new Promise<void>((resolve) => (bothHolding = resolve));
    const claimer = () =>
      claimDueRows(db, {
        due,
        limit: 5,
        handle: async (rows, manager) => {
          if (++holding === 2) bothHolding();
          await released; // keep the rows locked until the test has looked
          await manager.query('UPDATE job SET done_at = now() WHERE id = ANY($1::int[])', [rows.map((r) => r.id)]);
          return rows.map((r) => r.id);
        },
      });

    const first = claimer();
    const second = claimer();
    await bothHold;
    const third = await claimDueRows(db, { due, limit: 5, handle: async (rows) => rows.map((r) => r.id) });
    release();
    const [a, b] = await Promise.all([first, second]);

    expect(third).toEqual({ result: [], full: false });
    expect(a.full && b.full).toBe(true);
    expect([...a.result, ...b.result].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const done: Array<{ id: number }> = await db.query('SELECT id FROM job WHERE done_at IS NOT NULL ORDER BY id');
    expect(done.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('leaves the rows unclaimed when the handler fails (the transaction rolls back)', async () => {
    await db.query(`UPDATE job SET done_at = NULL, next_attempt_at = now() - interval '1 minute' WHERE id = 1`);
    await expect(
      claimDueRows(db, {
        due,
        limit: 5,
        handle: async (rows, manager) => {
          await manager.query('UPDATE job SET done_at = now() WHERE id = ANY($1::int[])', [rows.map((r) => r.id)]);
          throw new Error('handler failed');
        },
      }),
    ).rejects.toThrow('handler failed');
    expect(await db.query('SELECT id FROM job WHERE done_at IS NULL AND next_attempt_at <= now()')).toEqual([{ id: 1 }]);
  });
});
