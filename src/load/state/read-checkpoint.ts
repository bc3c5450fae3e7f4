import type { Knex } from 'knex';
import type { Checkpoint, CountsByEntity } from './load-records';

interface CheckpointRow {
  run_id: string;
  legacy_partner_id: number;
  job_key: string;
  cursor: string | null;
  done: boolean;
  counts: CountsByEntity;
  updated_at: string;
}

/** The committed checkpoint of one job of a run, or undefined before its first batch. */
export async function readCheckpoint(
  db: Knex,
  runId: string,
  partnerId: number,
  jobKey: string,
): Promise<Checkpoint | undefined> {
  const row = await db<CheckpointRow>('migration.checkpoints')
    .first('*')
    .where({ run_id: runId, legacy_partner_id: partnerId, job_key: jobKey });
  if (!row) return undefined;
  return {
    runId: row.run_id,
    partnerId: row.legacy_partner_id,
    jobKey: row.job_key,
    cursor: row.cursor === null ? null : Number(row.cursor),
    done: row.done,
    counts: row.counts,
    updatedAt: row.updated_at,
  };
}
