import type { Knex } from 'knex';

/**
 * Forgets the results a run recorded for these partners: a partner checked again within the same
 * run (its job retried, or added again after Redis lost it) keeps one set of results, the last.
 */
export async function deleteReconciliations(db: Knex, runId: string, partnerIds: ReadonlyArray<number>): Promise<void> {
  if (partnerIds.length === 0) return;
  await db('migration.reconciliations')
    .where({ run_id: runId })
    .whereIn('legacy_partner_id', [...partnerIds])
    .delete();
}
