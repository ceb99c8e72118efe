import type { EntityManager } from 'typeorm';

export interface Executed<T> {
  rows: T[];
  /** Rows inserted, updated or deleted. */
  affected: number;
}

/**
 * Runs raw SQL inside the caller's transaction and returns rows and affected count in one
 * shape (TypeORM's plain `query()` answers differently per statement kind: rows for SELECT and
 * INSERT, `[rows, count]` for UPDATE and DELETE).
 */
export async function execute<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<Executed<T>> {
  if (!manager.queryRunner) throw new Error('execute() runs inside a transaction: pass the transaction EntityManager');
  const result = await manager.queryRunner.query(sql, params, true);
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/** Runs a read-only query, inside a transaction or not, and returns its rows. */
export async function select<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await manager.query(sql, params)) as T[];
}
