import { recreateDatabase } from '@shop/testing';
import { DataSource } from 'typeorm';
import { AccountService, OPENING_BALANCE_CENTS } from '../../src/accounts/application/account.service';
import { replay } from '../../src/accounts/domain/account';
import { AccountEventEntity } from '../../src/accounts/infrastructure/account-event.entity';
import { AccountRepository, ConcurrencyError } from '../../src/accounts/infrastructure/account.repository';
import { AccountSnapshotEntity } from '../../src/accounts/infrastructure/account-snapshot.entity';
import { CreateAccountEventStore1764000100000 } from '../../src/accounts/infrastructure/migrations/1764000100000-create-account-event-store';

/** The event store against the real Postgres: optimistic concurrency, snapshots, replay. */
describe('payment: event-sourced accounts on Postgres', () => {
  const SNAPSHOT_EVERY = 5;
  let db: DataSource;
  const repository = new AccountRepository(SNAPSHOT_EVERY);
  const service = new AccountService(repository);

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: await recreateDatabase('test_payment_event_store'),
      entities: [AccountEventEntity, AccountSnapshotEntity],
      migrations: [CreateAccountEventStore1764000100000],
      migrationsRun: true,
      extra: { max: 20 },
    });
    await db.initialize();
  });

  afterAll(() => db?.destroy());

  /** What a message handler does: one transaction per attempt, again on a concurrency conflict. */
  async function withRetry<T>(work: () => Promise<T>): Promise<{ result: T; conflicts: number }> {
    for (let conflicts = 0; ; conflicts++) {
      try {
        return { result: await work(), conflicts };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || conflicts > 100) throw error;
      }
    }
  }

  it('refuses the second of two appends at the same expected version', async () => {
    await db.transaction((m) => service.charge(m, { customerId: 'race', orderId: 'o0', amountCents: 1, currency: 'EUR', paymentMethod: 'card' }));
    const loaded = await repository.load(db.manager, 'race');
    const state = loaded.state;
    if (!state) throw new Error('account was not opened');
    const event = { type: 'PaymentCharged' as const, orderId: 'o1', amountCents: 10 };
    const attempts = await Promise.allSettled(
      [1, 2].map(() => db.transaction((m) => repository.append(m, 'race', loaded.version, [event], state))),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
    expect((await repository.history(db.manager, 'race')).length).toBe(loaded.version + 1);
  });

  it('applies 40 concurrent charges exactly once each, with snapshots every 5 events matching a full replay', async () => {
    const orders = Array.from({ length: 40 }, (_, i) => ({ orderId: `order-${i}`, amountCents: 100 + i }));
    const outcomes = await Promise.all(
      orders.map((o) =>
        withRetry(() => db.transaction((m) => service.charge(m, { customerId: 'busy', currency: 'EUR', paymentMethod: 'card', ...o }))),
      ),
    );
    expect(outcomes.every((o) => o.result.status === 'CHARGED')).toBe(true);
    expect(outcomes.some((o) => o.conflicts > 0)).toBe(true); // they really raced

    // charging again (a redelivered command) changes nothing
    await Promise.all(
      orders.slice(0, 10).map((o) =>
        withRetry(() => db.transaction((m) => service.charge(m, { customerId: 'busy', currency: 'EUR', paymentMethod: 'card', ...o }))),
      ),
    );

    const history = await repository.history(db.manager, 'busy');
    expect(history).toHaveLength(41); // opened + 40 charges
    const total = orders.reduce((sum, o) => sum + o.amountCents, 0);
    const fullReplay = replay(history);
    expect(fullReplay?.balanceCents).toBe(OPENING_BALANCE_CENTS - total);

    const loaded = await repository.load(db.manager, 'busy');
    expect(loaded.version).toBe(41);
    expect(loaded.state).toEqual(fullReplay); // snapshot + tail == replay from the start
    const snapshot = await db.manager.findOneByOrFail(AccountSnapshotEntity, { accountId: 'busy' });
    expect(snapshot.version % SNAPSHOT_EVERY).toBe(0);
    expect(snapshot.version).toBe(40);
  });

  it('declines a broke customer and the declining card, and refunds once', async () => {
    const broke = await db.transaction((m) =>
      service.charge(m, { customerId: 'broke-bob', orderId: 'b1', amountCents: 500, currency: 'EUR', paymentMethod: 'card' }),
    );
    expect(broke).toEqual({ status: 'DECLINED', amountCents: 500, reason: 'INSUFFICIENT_FUNDS' });
    const card = await db.transaction((m) =>
      service.charge(m, { customerId: 'alice', orderId: 'a1', amountCents: 500, currency: 'EUR', paymentMethod: 'card_declined' }),
    );
    expect(card).toEqual({ status: 'DECLINED', amountCents: 500, reason: 'CARD_DECLINED' });

    await db.transaction((m) => service.charge(m, { customerId: 'alice', orderId: 'a2', amountCents: 700, currency: 'EUR', paymentMethod: 'card' }));
    const refunds = await Promise.all([1, 2, 3].map(() => withRetry(() => db.transaction((m) => service.refund(m, 'alice', 'a2', 'EUR')))));
    expect(refunds.map((r) => r.result.status)).toEqual(['REFUNDED', 'REFUNDED', 'REFUNDED']);
    const alice = await service.balance(db.manager, 'alice');
    expect(alice?.balanceCents).toBe(OPENING_BALANCE_CENTS);
    const history = await repository.history(db.manager, 'alice');
    expect(history.filter((e) => e.type === 'PaymentRefunded')).toHaveLength(1);
  });
});
