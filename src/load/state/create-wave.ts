import type { Knex } from 'knex';
import { UsageError } from '../../core/errors';

/**
 * Plans a wave: its name (unique) and its partners, each in state `planned`, in one
 * transaction; returns the wave id. A name already used is refused with UsageError.
 */
export async function createWave(db: Knex, name: string, partnerIds: ReadonlyArray<number>): Promise<number> {
  const partners = [...new Set(partnerIds)];
  try {
    return await db.transaction(async (trx) => {
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
