import type { Knex } from 'knex';

/**
 * Whether the target refused a row of the partner that is still quarantined `target_refused`,
 * or was until it was resolved during the run: either way the partner's partitions of the run may
 * have been written under another set of refusals than its core's.
 */
export async function hasRefusalsInRun(db: Knex, partnerId: number, runId: string): Promise<boolean> {
  const { rows } = await db.raw<{ rows: Array<{ present: boolean }> }>(
    `SELECT EXISTS (
       SELECT 1 FROM migration.quarantine q
        WHERE q.legacy_partner_id = :partnerId AND q.reason = 'target_refused'
          AND (q.resolved_at IS NULL
               OR q.resolved_at >= (SELECT started_at FROM migration.runs WHERE id = :runId::bigint))
     ) AS present`,
    { partnerId, runId },
  );
  return rows[0]?.present === true;
}
