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

/** Those of these partners whose checkpoint `jobKey` of the run is done: a resumed batch skips them. */
export async function readDonePartners(
  db: Knex,
  runId: string,
  partnerIds: ReadonlyArray<number>,
  jobKey: string,
): Promise<Set<number>> {
  if (partnerIds.length === 0) return new Set();
  const rows: { legacy_partner_id: number }[] = await db('migration.checkpoints')
    .select('legacy_partner_id')
    .where({ run_id: runId, job_key: jobKey, done: true })
    .whereIn('legacy_partner_id', [...partnerIds]);
  return new Set(rows.map((row) => Number(row.legacy_partner_id)));
}
