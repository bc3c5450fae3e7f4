import type { Knex } from 'knex';
import type { CheckResult } from '../model';

/**
 * One `migration.reconciliations` row per check result; the whole result (discrepancies, facts)
 * rides in `detail`. All rows go as one JSON parameter, however many partners a chunk holds: a
 * row of bind parameters per result would pass PostgreSQL's limit of 65,535 parameters at
 * about 8,000 results, and costs more to send and to plan.
 */
export async function insertReconciliations(db: Knex, runId: string, results: CheckResult[]): Promise<void> {
  if (results.length === 0) return;
  const payload = JSON.stringify(results.map((result) => ({
    check: result.check, entity: result.entity, legacy_partner_id: result.partnerId,
    expected: result.expected, actual: result.actual, passed: result.passed, detail: result,
  })));
  await db.raw(
    `INSERT INTO migration.reconciliations (run_id, "check", entity, legacy_partner_id, expected, actual, passed, detail)
     SELECT ?, r."check", r.entity, r.legacy_partner_id, r.expected, r.actual, r.passed, r.detail
       FROM ROWS FROM (jsonb_to_recordset(?::jsonb)
              AS ("check" text, entity text, legacy_partner_id int, expected text, actual text, passed boolean, detail jsonb))
            WITH ORDINALITY AS r("check", entity, legacy_partner_id, expected, actual, passed, detail, n)
      ORDER BY r.n`,
    [runId, payload],
  );
}

/** The check results recorded for a run (optionally one partner's), in the order they were written. */
export async function readReconciliations(db: Knex, runId: string, partnerId?: number): Promise<CheckResult[]> {
  const query = db('migration.reconciliations').select('detail').where({ run_id: runId }).orderBy('id');
  if (partnerId !== undefined) query.andWhere({ legacy_partner_id: partnerId });
  return (await query).map((row: { detail: CheckResult }) => row.detail);
}
