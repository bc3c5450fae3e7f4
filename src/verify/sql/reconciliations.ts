import type { Knex } from 'knex';
import type { CheckResult } from '../model';

/** The check results recorded for a run (optionally one partner's), in the order they were written. */
export async function readReconciliations(db: Knex, runId: string, partnerId?: number): Promise<CheckResult[]> {
  const query = db('migration.reconciliations').select('detail').where({ run_id: runId }).orderBy('id');
  if (partnerId !== undefined) query.andWhere({ legacy_partner_id: partnerId });
  return (await query).map((row: { detail: CheckResult }) => row.detail);
}
