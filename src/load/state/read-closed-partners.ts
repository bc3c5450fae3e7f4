import type { Knex } from 'knex';

/**
 * Those of the partners the load skipped as closed (an open `partner_closed` row of
 * `migration.skipped`). A quarantined partner has no account either, but is not among them.
 */
export async function readClosedPartners(db: Knex, partnerIds: number[]): Promise<Set<number>> {
  const rows: Array<{ legacy_key: string }> = await db('migration.skipped')
    .select('legacy_key')
    .where({ entity: 'partner', reason: 'partner_closed' })
    .whereNull('resolved_at')
    .whereIn(
      'legacy_key',
      partnerIds.map((id) => String(id)),
    );
  return new Set(rows.map((row) => Number(row.legacy_key)));
}
