import type { Knex } from 'knex';
import type { ReconciliationResult } from './insert-reconciliations';

/** The check results recorded for a run (optionally one partner's), in the order they were written. */
export async function readReconciliations<Result extends ReconciliationResult>(
  db: Knex,
  runId: string,
  partnerId?: number,
): Promise<Result[]> {
  const query = db('migration.reconciliations').select('detail').where({ run_id: runId }).orderBy('id');
  if (partnerId !== undefined) query.andWhere({ legacy_partner_id: partnerId });
  return (await query).map((row: { detail: Result }) => row.detail);
}
