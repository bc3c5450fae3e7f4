import type { ClientBase } from 'pg';
import type { CheckpointWrite } from './load-records';

/**
 * Records jobs' progress, one row per (run, partner, job), in one statement however many
 * partners a batch holds; written in the batch's own transaction, so rows and checkpoints commit
 * together. A checkpoint that says what the stored one says is not rewritten.
 */
export async function writeCheckpoints(client: ClientBase, checkpoints: ReadonlyArray<CheckpointWrite>): Promise<void> {
  if (checkpoints.length === 0) return;
  await client.query(
    `INSERT INTO migration.checkpoints (run_id, legacy_partner_id, job_key, cursor, done, counts)
     SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::boolean[], $6::jsonb[])
     ON CONFLICT (run_id, legacy_partner_id, job_key) DO UPDATE
       SET cursor = EXCLUDED.cursor, done = EXCLUDED.done, counts = EXCLUDED.counts
       WHERE (migration.checkpoints.cursor, migration.checkpoints.done, migration.checkpoints.counts)
             IS DISTINCT FROM (EXCLUDED.cursor, EXCLUDED.done, EXCLUDED.counts)`,
    [
      checkpoints.map((c) => c.runId),
      checkpoints.map((c) => c.partnerId),
      checkpoints.map((c) => c.jobKey),
      checkpoints.map((c) => c.cursor),
      checkpoints.map((c) => c.done),
      checkpoints.map((c) => JSON.stringify(c.counts)),
    ],
  );
}
