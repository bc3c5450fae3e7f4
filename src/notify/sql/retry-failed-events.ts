import type { Knex } from 'knex';
import type { EffectKind } from '../payloads';

/** Which failed effects to retry: every condition given must hold. */
export interface RetryFilter {
  kind?: EffectKind;
  partnerId?: number;
  waveId?: number;
}

/**
 * Puts the failed outbox rows that match back to `pending`, for the relay to hand them to their
 * queues again; returns how many. `attempts` and `last_error` are kept: the reason stays visible
 * until the next attempt replaces it, and a row with attempts made tells the relay that its old
 * failed job (kept a week under the same job id) must be removed before the new one is added.
 * Only rows still `failed` are touched, so a repeat re-queues nothing more.
 */
export async function retryFailedEvents(db: Knex, filter: RetryFilter = {}): Promise<number> {
  const query = db('migration.outbox').update({ state: 'pending', failed_at: null }).where({ state: 'failed' });
  if (filter.kind !== undefined) query.andWhere({ kind: filter.kind });
  if (filter.partnerId !== undefined) query.andWhere({ legacy_partner_id: filter.partnerId });
  if (filter.waveId !== undefined) query.andWhere({ wave_id: String(filter.waveId) });
  const rows: unknown[] = await query.returning('id');
  return rows.length;
}
