import { redactText } from '../../src/core/redact';
import { assertRedisReachable } from '../jobs/redis';
import { readStoredSyncSchedule, readSyncSchedule, type SyncSchedule } from '../jobs/sync-schedule';
import type { Services } from '../services';

/** A scheduled run counts as missed once it is this late and no worker has taken it. */
export const MISSED_AFTER_MS = 60_000;

/** The nightly sync as `ppm status` shows it. */
export interface SyncStatus {
  /** The latest sync run, if any. */
  last: {
    runId: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    watermark: string | null;
    touched: number | null;
  } | null;
  /** The registered schedule; null when none; `unavailable` with why when Redis could not be asked. */
  schedule: (SyncSchedule & { missed: boolean }) | null;
  scheduleError: string | null;
  /**
   * The schedule the marketplace database keeps when Redis no longer holds it (Redis restarted
   * without persistence): no sync runs until a `ppm worker` registers it again.
   */
  scheduleLost: { pattern: string; tz: string } | null;
  /** Since when the synced watermark has stood still, when the last sync found it longer than SYNC_STALL_WARN. */
  stalledSince: string | null;
}

/**
 * The last sync run (migration.runs), the schedule (Redis) with whether its due run was missed
 * (no worker took it: its next run lies more than MISSED_AFTER_MS in the past), and a stall of the
 * synced watermark. Redis unreachable leaves the schedule unknown, said so, rather than failing.
 */
export async function readSyncStatus(services: Services): Promise<SyncStatus> {
  const { target, config } = services;
  const row = await target('migration.runs')
    .first('id', 'status', 'started_at', 'finished_at', 'watermark', 'counts')
    .where({ kind: 'sync' })
    .whereNull('wave_id')
    .orderBy('id', 'desc');
  const last = row
    ? {
        runId: String(row.id),
        status: row.status as string,
        startedAt: new Date(row.started_at).toISOString(),
        finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
        watermark: row.watermark === null ? null : String(row.watermark),
        touched: typeof row.counts?.touched === 'number' ? row.counts.touched : null,
      }
    : null;
  let schedule: SyncStatus['schedule'] = null;
  let scheduleError: string | null = null;
  let scheduleLost: SyncStatus['scheduleLost'] = null;
  const stored = await readStoredSyncSchedule(services);
  try {
    await assertRedisReachable(config.REDIS_URL, 2000);
    const found = await readSyncSchedule(services);
    if (found) schedule = { ...found, missed: found.next !== null && found.next < Date.now() - MISSED_AFTER_MS };
    else if (stored) scheduleLost = stored;
  } catch (error) {
    scheduleError = redactText(error instanceof Error ? error.message : String(error));
  }
  // As the last sync found it: the watermark stands still across syncs, not between them.
  const stalledSince = typeof row?.counts?.stalledSince === 'string' ? (row.counts.stalledSince as string) : null;
  return { last, schedule, scheduleError, scheduleLost, stalledSince };
}
