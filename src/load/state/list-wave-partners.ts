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
