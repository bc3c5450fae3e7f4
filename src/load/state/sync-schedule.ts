import type { Knex } from 'knex';

/** The nightly sync's schedule as the marketplace database keeps it (migration.sync_schedule, one row at most). */
export interface StoredSyncSchedule {
  pattern: string;
  tz: string;
}

export async function readStoredSyncSchedule(db: Knex): Promise<StoredSyncSchedule | undefined> {
  const row = await db('migration.sync_schedule').first('pattern', 'tz');
  return row ? { pattern: String(row.pattern), tz: String(row.tz) } : undefined;
}

/** Stores (or replaces) the one schedule. */
export async function storeSyncSchedule(db: Knex, schedule: StoredSyncSchedule): Promise<void> {
  await db.raw(
    `INSERT INTO migration.sync_schedule (id, pattern, tz) VALUES ('nightly-sync', ?, ?)
     ON CONFLICT (id) DO UPDATE SET pattern = excluded.pattern, tz = excluded.tz`,
    [schedule.pattern, schedule.tz],
  );
}

/** Removes the stored schedule; false when there was none. */
export async function deleteStoredSyncSchedule(db: Knex): Promise<boolean> {
  return (await db('migration.sync_schedule').del()) > 0;
}
