import type { Knex } from 'knex';
import { UsageError } from '../../core/errors';

/** The advisory lock that serialises planning: a partner found in no wave stays so until its wave is recorded. */
const PLAN_LOCK = 'ppm.wave-plan';

/** Partner ids a message names at most; the rest are counted. */
const NAMED_AT_MOST = 20;

/** Those of `partnerIds` already in a wave, with the wave's name, by wave then partner. */
async function readPartnersInWaves(
  trx: Knex.Transaction,
  partnerIds: ReadonlyArray<number>,
): Promise<Array<{ legacy_partner_id: number; name: string }>> {
  const { rows } = await trx.raw<{ rows: Array<{ legacy_partner_id: number; name: string }> }>(
    `SELECT wp.legacy_partner_id, w.name
       FROM migration.wave_partners wp JOIN migration.waves w ON w.id = wp.wave_id
      WHERE wp.legacy_partner_id = ANY(?::int[])
      ORDER BY w.id, wp.legacy_partner_id`,
    [[...partnerIds]],
  );
  return rows;
}

/**
 * `partner 3 is already in wave "w1": ...`, or `partners already in another wave: 1, 2 in wave
 * "w1"; 7 in wave "w2". ...`; at most NAMED_AT_MOST ids, the rest counted.
 */
export function describePartnersInWaves(rows: ReadonlyArray<{ legacy_partner_id: number; name: string }>): string {
  const rule = 'a partner is migrated in one wave only, so plan this wave without';
  if (rows.length === 1)
    return `partner ${rows[0]!.legacy_partner_id} is already in wave "${rows[0]!.name}": ${rule} it`;
  const byWave = new Map<string, number[]>();
  for (const row of rows) byWave.set(row.name, [...(byWave.get(row.name) ?? []), Number(row.legacy_partner_id)]);
  let named = 0;
  const parts: string[] = [];
  for (const [wave, ids] of byWave) {
    if (named >= NAMED_AT_MOST) break;
    const shown = ids.slice(0, NAMED_AT_MOST - named);
    named += shown.length;
    const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : '';
    parts.push(`${shown.join(', ')}${more} in wave "${wave}"`);
  }
  const otherWaves = byWave.size - parts.length;
  if (otherWaves > 0) parts.push(`more in ${otherWaves} other wave(s)`);
  return `partners already in another wave: ${parts.join('; ')}. A partner is migrated in one wave only, so plan this wave without them`;
}

/**
 * Plans a wave: its name (unique) and its partners, each in state `planned`, in one
 * transaction; returns the wave id. A name already used, or a partner already in a wave, is
 * refused with UsageError (naming the partners and their waves) and nothing is recorded.
 */
export async function createWave(db: Knex, name: string, partnerIds: ReadonlyArray<number>): Promise<number> {
  const partners = [...new Set(partnerIds)];
  try {
    return await db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [PLAN_LOCK]);
      if (partners.length > 0) {
        const planned = await readPartnersInWaves(trx, partners);
        if (planned.length > 0) throw new UsageError(describePartnersInWaves(planned));
      }
      const [row] = await trx('migration.waves').insert({ name }).returning<Array<{ id: string }>>('id');
      if (partners.length > 0) {
        await trx.batchInsert(
          'migration.wave_partners',
          partners.map((partnerId) => ({ wave_id: row!.id, legacy_partner_id: partnerId, state: 'planned' })),
          5000,
        );
      }
      return Number(row!.id);
    });
  } catch (error) {
    if (
      (error as { code?: string }).code === '23505' &&
      (error as { constraint?: string }).constraint === 'waves_name_key'
    ) {
      throw new UsageError(`a wave named "${name}" exists already: choose another name`, { cause: error });
    }
    throw error;
  }
}
