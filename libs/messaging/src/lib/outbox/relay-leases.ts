import type { Client } from 'pg';

/**
 * Which outbox shards this relay may publish, by leases in the service's own database.
 *
 * The outbox is split into `shards` by a hash of each row's message key (`key_hash`), so all the
 * rows of one key are in one shard and one publisher at a time keeps their order. Each shard is
 * a row of `outbox_relay_lease` with its holder and an expiry (database time). Every cycle, a
 * relay (one round trip each, see `refresh`):
 * - says it is alive (`outbox_relay_member`), and renews the leases it holds;
 * - works out its fair share, ceil(shards / live relays), and gives back the leases above it;
 * - takes free or expired leases up to its share.
 * A relay that stops renewing (crashed, frozen by a GC pause or SIGSTOP, cut off from the
 * database) loses its shards `leaseMs` after its last renewal, and the others take them on their
 * next cycle. It checks its own lease before each publish (`holds`); a relay frozen between
 * that check and the send publishes one stale batch at most, rows the new holder publishes again
 * or has already published: duplicates, which the consumers' inbox absorbs, and never out of
 * order (both publish a shard from its oldest unpublished row).
 */
export class RelayLeases {
  /** The shards this relay holds, and until when (this process's clock, from before the renewal was sent). */
  private held = new Map<number, number>();

  constructor(
    private readonly holder: string,
    private readonly shards: number,
    private readonly leaseMs: number,
  ) {}

  /** The shards this relay may publish now: held, and the lease not yet past on this process's clock. */
  owned(now = Date.now()): number[] {
    return [...this.held].filter(([, until]) => until > now).map(([shard]) => shard);
  }

  holds(shard: number, now = Date.now()): boolean {
    return (this.held.get(shard) ?? 0) > now;
  }

  /** Renews, balances and takes leases; returns the shards held afterwards. Call at least every leaseMs / 3. */
  async refresh(db: Client): Promise<number[]> {
    const sentAt = Date.now();
    const lease = `${this.leaseMs} milliseconds`;
    // Alive (the count of live relays reads the table as it was before this statement: hence
    // 1 + the others), the leases held renewed, and the shard rows there (the first relay creates them).
    const { rows: alive } = await db.query<{ live: string; renewed: number[] }>(
      `WITH member AS (
         INSERT INTO outbox_relay_member (holder, seen_at) VALUES ($1, now())
         ON CONFLICT (holder) DO UPDATE SET seen_at = now()
       ), shard_rows AS (
         INSERT INTO outbox_relay_lease (shard) SELECT generate_series(0, $2 - 1) ON CONFLICT DO NOTHING
       ), renewed AS (
         UPDATE outbox_relay_lease SET expires_at = now() + $3::interval
         WHERE holder = $1 AND shard < $2 AND expires_at > now() RETURNING shard
       )
       SELECT 1 + (SELECT count(*) FROM outbox_relay_member WHERE seen_at > now() - $3::interval AND holder <> $1) AS live,
              coalesce((SELECT array_agg(shard ORDER BY shard) FROM renewed), '{}') AS renewed`,
      [this.holder, this.shards, lease],
    );
    let held = alive[0].renewed;
    const share = fairShare(this.shards, Number(alive[0].live));

    if (held.length > share) {
      // Above the fair share (another relay has joined): give back the highest shards.
      const giveBack = held.slice(share);
      await db.query(`UPDATE outbox_relay_lease SET holder = NULL, expires_at = '-infinity' WHERE holder = $1 AND shard = ANY($2::int[])`, [this.holder, giveBack]);
      held = held.slice(0, share);
    } else if (held.length < share) {
      const { rows } = await db.query<{ shard: number }>(
        `UPDATE outbox_relay_lease SET holder = $1, expires_at = now() + $3::interval
         WHERE shard IN (
           SELECT shard FROM outbox_relay_lease WHERE shard < $2 AND expires_at <= now()
           ORDER BY shard LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING shard`,
        [this.holder, this.shards, lease, share - held.length],
      );
      held = [...held, ...rows.map((r) => r.shard)].sort((a, b) => a - b);
    }
    this.held = new Map(held.map((shard) => [shard, sentAt + this.leaseMs]));
    return held;
  }

  /** Gives every lease back at once (a clean stop), so the others need not wait for them to expire. */
  async release(db: Client): Promise<void> {
    this.held.clear();
    await db.query(`UPDATE outbox_relay_lease SET holder = NULL, expires_at = '-infinity' WHERE holder = $1`, [this.holder]);
    await db.query(`DELETE FROM outbox_relay_member WHERE holder = $1`, [this.holder]);
  }

  /** Forgets the leases without telling the database (the connection is gone): they expire there. */
  forget(): void {
    this.held.clear();
  }
}

/** How many of `shards` each of `relays` live relays should hold: ceil, so every shard has a holder. */
export function fairShare(shards: number, relays: number): number {
  return Math.ceil(shards / Math.max(1, relays));
}
