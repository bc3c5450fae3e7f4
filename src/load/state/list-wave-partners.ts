import type { Knex } from 'knex';
import type { WavePartner } from './load-records';
import { toWavePartner } from './wave-rows';

/** The partners of a wave with their states, by legacy partner id. */
export async function listWavePartners(db: Knex, waveId: number): Promise<WavePartner[]> {
  const rows = await db('migration.wave_partners')
    .select('*')
    .where({ wave_id: String(waveId) })
    .orderBy('legacy_partner_id');
  return rows.map(toWavePartner);
}

/**
 * Only the states of a wave's partners (or of those of `partnerIds`): what a progress line or a
 * batch job asks many times a minute, without the timestamps of every step.
 */
export async function listPartnerStates(
  db: Knex,
  waveId: number,
  partnerIds?: ReadonlyArray<number>,
): Promise<Array<Pick<WavePartner, 'legacy_partner_id' | 'state'>>> {
  const query = db('migration.wave_partners')
    .select('legacy_partner_id', 'state')
    .where({ wave_id: String(waveId) })
    .orderBy('legacy_partner_id');
  if (partnerIds) query.whereIn('legacy_partner_id', [...partnerIds]);
  const rows: Array<{ legacy_partner_id: number; state: WavePartner['state'] }> = await query;
  return rows.map((row) => ({ legacy_partner_id: Number(row.legacy_partner_id), state: row.state }));
}
