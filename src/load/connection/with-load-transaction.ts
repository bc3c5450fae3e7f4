import type { Knex } from 'knex';
import { translateTargetError } from './target-errors';

/**
 * Runs `work` in one target transaction (commit on success, rollback on error), translating
 * database errors into the pipeline's typed errors (a deadlock is retryable, bad data is not).
 */
export async function withLoadTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    throw translateTargetError(error, 'load transaction');
  }
}
