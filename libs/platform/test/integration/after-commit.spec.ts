import { recreateDatabase } from '@shop/testing';
import { DataSource } from 'typeorm';
import { afterCommit, AfterCommitSubscriber } from '../../src/lib/database/after-commit';

/** afterCommit against the real Postgres: runs after COMMIT, never after ROLLBACK. */
describe('afterCommit', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', url: await recreateDatabase('test_platform_after_commit'), subscribers: [AfterCommitSubscriber] });
    await db.initialize();
    await db.query('CREATE TABLE thing (id int PRIMARY KEY)');
  });

  afterAll(() => db?.destroy());

  it('runs the callbacks once the transaction has committed, when the row is visible', async () => {
    const seen: number[] = [];
    await db.transaction(async (m) => {
      await m.query('INSERT INTO thing (id) VALUES (1)');
      afterCommit(m, () => seen.push(1));
      afterCommit(m, () => seen.push(2));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([1, 2]);
    expect(await db.query('SELECT id FROM thing WHERE id = 1')).toHaveLength(1);
  });

  it('drops them when the transaction rolls back, and does not carry them into the next one', async () => {
    const seen: string[] = [];
    await expect(
      db.transaction(async (m) => {
        afterCommit(m, () => seen.push('rolled back'));
        await m.query('INSERT INTO thing (id) VALUES (1)'); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    await db.transaction(async (m) => afterCommit(m, () => seen.push('next')));
    expect(seen).toEqual(['next']);
  });

  it('runs at once outside a transaction', () => {
    let ran = false;
    afterCommit(db.manager, () => (ran = true));
    expect(ran).toBe(true);
  });
});
