import type { Knex } from 'knex';
import { ConflictError } from '../../core/errors';
import { withPoolConnection } from '../connection/target-connection';

/** The advisory lock key of the nightly sync (one per marketplace database). */
const SYNC_LOCK = "hashtext('ppm.nightly-sync')";

/**
 * Runs `work` holding the sync's session advisory lock on one connection of the target: a
 * second sync is refused at once (ConflictError) instead of waiting, and a sync that dies (even
 * by kill -9) drops the lock with its connection, so none is left held.
 */
export async function withSyncLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  return withPoolConnection(db, async (connection) => {
    const { rows } = await connection.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${SYNC_LOCK}) AS locked`);
    if (!rows[0]?.locked) {
      const holder = await connection.query<{ started: Date | null }>(
        `SELECT min(started_at) AS started FROM migration.runs WHERE kind = 'sync' AND wave_id IS NULL AND status = 'running'`,
      );
      const since = holder.rows[0]?.started ? ` (running since ${holder.rows[0].started.toISOString()})` : '';
      throw new ConflictError(`another sync is running${since}; this one is refused: two syncs never run at once`);
    }
    try {
      return await work();
    } finally {
      await connection.query(`SELECT pg_advisory_unlock(${SYNC_LOCK})`).catch(() => undefined);
    }
  });
}

/**
 * Runs `work` holding the session advisory lock of `ppm verify` for one wave: a second verify
 * of the wave is refused at once (ConflictError). Holding it, the verify runs of the wave still
 * `running` are ones whose process died or lost the database before it could end them: they are
 * closed as failed (`interrupted`) before `work` starts.
 */
export async function withWaveVerifyLock<T>(db: Knex, waveId: number, work: () => Promise<T>): Promise<T> {
  return withPoolConnection(db, async (connection) => {
    const { rows } = await connection.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('ppm.verify'), $1::int) AS locked`,
      [waveId],
    );
    if (!rows[0]?.locked) throw new ConflictError('another `ppm verify` of this wave is running; this one is refused');
    try {
      await connection.query(
        `UPDATE migration.runs SET status = 'failed', finished_at = now(), updated_at = now(),
                error = coalesce(error, 'interrupted before it ended; a later verify of the wave closed it')
          WHERE kind = 'verify' AND wave_id = $1 AND status = 'running'`,
        [waveId],
      );
      return await work();
    } finally {
      await connection
        .query(`SELECT pg_advisory_unlock(hashtext('ppm.verify'), $1::int)`, [waveId])
        .catch(() => undefined);
    }
  });
}
