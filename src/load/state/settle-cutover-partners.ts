import type { Knex } from 'knex';

/**
 * Moves those of `partnerIds` that are in `cutover` to `done` once every effect recorded for
 * them is performed, but for the webinar invitation (days later, and not part of the cutover).
 * Returns the partners moved.
 */
export async function settleCutoverPartners(db: Knex, partnerIds: ReadonlyArray<number>): Promise<number[]> {
  if (partnerIds.length === 0) return [];
  const { rows } = await db.raw<{ rows: Array<{ legacy_partner_id: number }> }>(
    `UPDATE migration.wave_partners wp
        SET state = 'done'
      WHERE wp.state = 'cutover' AND wp.legacy_partner_id = ANY(?::int[])
        AND NOT EXISTS (
              SELECT 1 FROM migration.outbox o
               WHERE o.legacy_partner_id = wp.legacy_partner_id
                 AND o.kind <> 'webinar-invitation' AND o.state <> 'done')
  RETURNING wp.legacy_partner_id`,
    [[...partnerIds]],
  );
  return rows.map((row) => Number(row.legacy_partner_id)).sort((a, b) => a - b);
}
