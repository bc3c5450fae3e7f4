import type { Knex } from 'knex';
import type { CheckResult } from '../model';

/** One `migration.reconciliations` row per check result; the whole result (discrepancies, facts) rides in `detail`. */
export async function insertReconciliations(db: Knex, runId: string, results: CheckResult[]): Promise<void> {
  if (results.length === 0) return;
  await db('migration.reconciliations').insert(results.map((result) => ({
    run_id: runId, check: result.check, entity: result.entity, legacy_partner_id: result.partnerId,
    expected: result.expected, actual: result.actual, passed: result.passed, detail: JSON.stringify(result),
  })));
}

/** The check results recorded for a run (optionally one partner's), in the order they were written. */
export async function readReconciliations(db: Knex, runId: string, partnerId?: number): Promise<CheckResult[]> {
  const query = db('migration.reconciliations').select('detail').where({ run_id: runId }).orderBy('id');
  if (partnerId !== undefined) query.andWhere({ legacy_partner_id: partnerId });
  return (await query).map((row: { detail: CheckResult }) => row.detail);
}
