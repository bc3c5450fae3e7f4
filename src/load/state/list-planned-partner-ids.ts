import type { Knex } from 'knex';

/** Legacy ids of the partners that belong to any wave already, ascending. */
export async function listPlannedPartnerIds(db: Knex): Promise<number[]> {
  const rows: Array<{ legacy_partner_id: number }> = await db('migration.wave_partners')
    .distinct('legacy_partner_id')
    .orderBy('legacy_partner_id');
  return rows.map((row) => row.legacy_partner_id);
}
