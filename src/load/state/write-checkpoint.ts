import type { ClientBase } from 'pg';
import type { CheckpointWrite } from './load-records';

/** Records a job's progress; written in the batch's own transaction, so rows and checkpoint commit together. */
export async function writeCheckpoint(client: ClientBase, checkpoint: CheckpointWrite): Promise<void> {
  await client.query(
    `INSERT INTO migration.checkpoints (run_id, legacy_partner_id, job_key, cursor, done, counts)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (run_id, legacy_partner_id, job_key) DO UPDATE
       SET cursor = EXCLUDED.cursor, done = EXCLUDED.done, counts = EXCLUDED.counts
       WHERE (migration.checkpoints.cursor, migration.checkpoints.done, migration.checkpoints.counts)
             IS DISTINCT FROM (EXCLUDED.cursor, EXCLUDED.done, EXCLUDED.counts)`,
    [
      checkpoint.runId,
      checkpoint.partnerId,
      checkpoint.jobKey,
      checkpoint.cursor,
      checkpoint.done,
      JSON.stringify(checkpoint.counts),
    ],
  );
}
