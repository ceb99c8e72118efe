import { CreateIdempotencyKeys1764000500000, IdempotencyStore, IndexIdempotencyKeyCreatedAt1764001100000 } from '@shop/platform';
import { recreateDatabase } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Idempotency-Key semantics against the real Postgres, with real concurrency. */
describe('order: Idempotency-Key store', () => {
  let db: DataSource;
  const store = new IdempotencyStore();

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: await recreateDatabase('test_order_idempotency'),
      migrations: [CreateIdempotencyKeys1764000500000, IndexIdempotencyKeyCreatedAt1764001100000],
      migrationsRun: true,
      extra: { max: 20 },
    });
    await db.initialize();
    await db.query('CREATE TABLE effect (id serial PRIMARY KEY, key text NOT NULL)');
  });

  afterAll(() => db?.destroy());

  /** The "work": one row per real execution, in the request's transaction. */
  const place = (key: string, body: unknown, customer = 'alice') =>
    db.transaction((m) =>
      store.run(m, customer, key, body, async () => {
        const [row] = await m.query('INSERT INTO effect (key) VALUES ($1) RETURNING id', [key]);
        return { status: 202, body: { orderId: `order-${row.id}` } };
      }),
    );
  const effects = async (key: string) => Number((await db.query('SELECT count(*) FROM effect WHERE key = $1', [key]))[0].count);

  it('ten concurrent requests with one key: one effect, ten identical answers', async () => {
    const key = randomUUID();
    const body = { lines: [{ sku: 'MUG-LOGO', quantity: 1 }] };
    const answers = await Promise.all(Array.from({ length: 10 }, () => place(key, body)));
    expect(await effects(key)).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(answers.every((a) => a.status === 202)).toBe(true);
  });

  it('replays for the same body in another key order', async () => {
    const key = randomUUID();
    const first = await place(key, { a: 1, b: 2 });
    const again = await place(key, { b: 2, a: 1 });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await effects(key)).toBe(1);
  });

  it('refuses the same key with a different body, changing nothing', async () => {
    const key = randomUUID();
    await place(key, { quantity: 1 });
    await expect(place(key, { quantity: 2 })).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', kind: 'INVALID' });
    expect(await effects(key)).toBe(1);
  });

  it('frees the key when the work fails', async () => {
    const key = randomUUID();
    await expect(
      db.transaction((m) => store.run(m, 'alice', key, { x: 1 }, () => Promise.reject(new Error('validation failed')))),
    ).rejects.toThrow('validation failed');
    const retried = await place(key, { x: 1 });
    expect(retried.replayed).toBe(false);
    expect(await effects(key)).toBe(1);
  });

  it("keeps each customer's keys apart: the same key from another customer is new work, not a replay", async () => {
    const key = randomUUID();
    const alices = await place(key, { quantity: 1 }, 'alice');
    const bobs = await place(key, { quantity: 2 }, 'bob');
    expect([alices.replayed, bobs.replayed]).toEqual([false, false]);
    expect(bobs.body).not.toEqual(alices.body);
    expect(await effects(key)).toBe(2);
  });

  it('refuses a malformed key', async () => {
    await expect(place('has space', {})).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_INVALID' });
    await expect(place('x'.repeat(256), {})).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_INVALID' });
  });

  it('deletes keys past the retention (48 hours by default) while claiming a new one, keeps younger ones, and refuses a retention under 24 hours', async () => {
    const [old, recent] = [randomUUID(), randomUUID()];
    await db.query(`INSERT INTO idempotency_key (key, request_hash, created_at) VALUES ($1, 'h', now() - interval '49 hours'), ($2, 'h', now() - interval '47 hours')`, [old, recent]);
    const pruning = new IdempotencyStore({ pruneIntervalMs: 0 });
    await db.transaction((m) => pruning.run(m, 'alice', randomUUID(), {}, async () => ({ status: 202, body: {} })));
    const left = await db.query('SELECT key FROM idempotency_key WHERE key = ANY($1)', [[old, recent]]);
    expect(left.map((r: { key: string }) => r.key)).toEqual([recent]);
    expect(() => new IdempotencyStore({ retentionMs: 23 * 60 * 60 * 1000 })).toThrow(/at least 24 hours/);
  });
});
