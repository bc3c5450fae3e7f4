import type { ClientBase } from 'pg';
import type { Problem } from '../../core/outcomes';

/** The two tables of rows kept out of the marketplace: same shape, one open row per (entity, legacy key). */
export type ProblemTable = 'migration.quarantine' | 'migration.skipped';

/**
 * Records quarantined or skipped rows: a new open row per (entity, legacy key), or, when one
 * is open already, its reason, detail, raw row, run and last_seen_at brought up to date.
 */
export async function upsertProblems(
  client: ClientBase,
  table: ProblemTable,
  runId: string,
  problems: ReadonlyArray<Problem>,
): Promise<number> {
  if (problems.length === 0) return 0;
  const latest = new Map<string, Problem>();
  for (const problem of problems) latest.set(`${problem.entity}\u0000${problem.legacyKey}`, problem);
  const payload = JSON.stringify(
    [...latest.values()].map((problem) => ({
      entity: problem.entity,
      legacy_key: problem.legacyKey,
      legacy_partner_id: problem.legacyPartnerId,
      reason: problem.reason,
      detail: problem.detail,
      raw: problem.raw,
    })),
  );
  const result = await client.query(
    `INSERT INTO ${table} AS p (run_id, entity, legacy_key, legacy_partner_id, reason, detail, raw)
     SELECT $1, r.entity, r.legacy_key, r.legacy_partner_id, r.reason, r.detail, r.raw
       FROM jsonb_to_recordset($2::jsonb) AS r(entity text, legacy_key text, legacy_partner_id int, reason text, detail text, raw jsonb)
     ON CONFLICT (entity, legacy_key) WHERE resolved_at IS NULL DO UPDATE
       SET run_id = EXCLUDED.run_id, legacy_partner_id = EXCLUDED.legacy_partner_id, reason = EXCLUDED.reason,
           detail = EXCLUDED.detail, raw = EXCLUDED.raw, last_seen_at = now()`,
    [runId, payload],
  );
  return result.rowCount ?? 0;
}
