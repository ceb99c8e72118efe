import type { EntityManager } from 'typeorm';
import { DomainError } from '../../errors';
import { execute } from '../database/execute';
import { requestHash } from './canonical-json';

export interface StoredResponse<T> {
  status: number;
  body: T;
  /** True when this is the answer given to an earlier request with the same key. */
  replayed: boolean;
}

/** What a client may send as an Idempotency-Key: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** A key is honoured at least this long: a client may retry a request for a day. */
export const MIN_IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyStoreOptions {
  /** Keys older than this are deleted (default 48 hours; at least 24). */
  retentionMs?: number;
  /** How often a request also deletes the expired keys (default one minute, per process). */
  pruneIntervalMs?: number;
}

/**
 * Idempotency-Key (IETF draft httpapi-idempotency-key-header) for a request whose effects are
 * written in one database transaction. The key is claimed in that same transaction:
 * - a concurrent request with the same key waits on the claim, then replays the stored answer;
 * - the same key with another body is refused (422 IDEMPOTENCY.KEY_REUSED);
 * - if the work fails, the transaction rolls back and the key is free again.
 * Keys are kept `retentionMs` (at least 24 hours): at most once per `pruneIntervalMs`, a request
 * also deletes the older ones in its transaction (no timer of its own).
 */
export class IdempotencyStore {
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  private lastPrune = 0;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.retentionMs = options.retentionMs ?? 2 * MIN_IDEMPOTENCY_KEY_RETENTION_MS;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    if (this.retentionMs < MIN_IDEMPOTENCY_KEY_RETENTION_MS) throw new Error(`idempotency keys must be kept at least 24 hours, not ${this.retentionMs} ms`);
  }

  /**
   * `scope` is whose key it is (the signed-in customer): two clients that happen to choose the
   * same key never see each other's answers.
   */
  async run<T>(
    manager: EntityManager,
    scope: string,
    clientKey: string,
    body: unknown,
    work: () => Promise<{ status: number; body: T }>,
  ): Promise<StoredResponse<T>> {
    if (!IDEMPOTENCY_KEY_FORMAT.test(clientKey)) {
      throw new DomainError('IDEMPOTENCY.KEY_INVALID', 'INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const key = `${scope} ${clientKey}`;
    const hash = requestHash(body);
    if (Date.now() - this.lastPrune >= this.pruneIntervalMs) {
      this.lastPrune = Date.now();
      await execute(manager, `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => $1)`, [this.retentionMs / 1000]);
    }
    const claimed = await execute(manager, `INSERT INTO idempotency_key (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, hash]);
    if (claimed.affected === 0) {
      const { rows } = await execute<{ request_hash: string; status_code: number; response: T }>(
        manager,
        `SELECT request_hash, status_code, response FROM idempotency_key WHERE key = $1`,
        [key],
      );
      const stored = rows[0];
      if (stored.request_hash !== hash) {
        throw new DomainError('IDEMPOTENCY.KEY_REUSED', 'INVALID', `Idempotency-Key ${clientKey} was already used with a different request body`);
      }
      return { status: stored.status_code, body: stored.response, replayed: true };
    }
    const result = await work();
    await execute(manager, `UPDATE idempotency_key SET status_code = $2, response = $3 WHERE key = $1`, [key, result.status, JSON.stringify(result.body)]);
    return { ...result, replayed: false };
  }
}
