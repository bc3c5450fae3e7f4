import type { Knex } from 'knex';
import { ContractViolationError, UsageError } from '../../core/errors';
import type { PartnerState, WavePartner } from './load-records';
import { toWavePartner } from './wave-rows';

/**
 * Moves a partner of a wave to `state`, with `reason` for `failed`. The database stamps the
 * step's timestamp and forgets later steps (trigger), and refuses `cutover` or `done` for a
 * partner that is not verified (CHECK): that refusal is a ContractViolationError.
 */
export async function setPartnerState(
  db: Knex,
  waveId: number,
  partnerId: number,
  state: PartnerState,
  reason?: string,
): Promise<WavePartner> {
  let row: (WavePartner & { wave_id: string }) | undefined;
  try {
    [row] = await db('migration.wave_partners')
      .update({ state, failure_reason: state === 'failed' ? (reason ?? null) : null })
      .where({ wave_id: String(waveId), legacy_partner_id: partnerId })
      .returning('*');
  } catch (error) {
    const constraint = (error as { constraint?: string }).constraint;
    if (constraint === 'cutover_needs_verified' || constraint === 'done_needs_cutover') {
      throw new ContractViolationError(
        `partner ${partnerId} of wave ${waveId} cannot move to ${state}: ${constraint.replace(/_/g, ' ')}`,
        { cause: error },
      );
    }
    throw error;
  }
  if (!row) throw new UsageError(`partner ${partnerId} is not in wave ${waveId}`);
  return toWavePartner(row);
}

/**
 * Moves those of `partnerIds` that are in state `from` to state `to`, in one statement (the
 * trigger stamps each row as setPartnerState does); partners in any other state are left as
 * they are. Returns the ids moved. For a chunk of partners a verification run promotes or sends
 * back at once, instead of one round trip per partner.
 */
export async function movePartners(
  db: Knex,
  waveId: number,
  partnerIds: ReadonlyArray<number>,
  from: PartnerState,
  to: PartnerState,
): Promise<number[]> {
  if (partnerIds.length === 0) return [];
  const rows: Array<{ legacy_partner_id: number }> = await db('migration.wave_partners')
    .update({ state: to, failure_reason: null })
    .where({ wave_id: String(waveId), state: from })
    .whereIn('legacy_partner_id', [...partnerIds])
    .returning('legacy_partner_id');
  return rows.map((row) => Number(row.legacy_partner_id)).sort((a, b) => a - b);
}

/** Moves those of `partnerIds` still in state `from` to `failed` with `reason`, in one statement. Returns the ids moved. */
export async function failPartners(
  db: Knex,
  waveId: number,
  partnerIds: ReadonlyArray<number>,
  from: PartnerState,
  reason: string,
): Promise<number[]> {
  if (partnerIds.length === 0) return [];
  const rows: Array<{ legacy_partner_id: number }> = await db('migration.wave_partners')
    .update({ state: 'failed', failure_reason: reason })
    .where({ wave_id: String(waveId), state: from })
    .whereIn('legacy_partner_id', [...partnerIds])
    .returning('legacy_partner_id');
  return rows.map((row) => Number(row.legacy_partner_id)).sort((a, b) => a - b);
}

/**
 * Moves these partners of a wave to `state` (not `failed`: that needs a reason), whatever state
 * each is in, in one statement (the trigger stamps each row as setPartnerState does): a new run
 * of a wave of thousands of partners starts them all at once, not one round trip each.
 */
export async function setPartnersState(
  db: Knex,
  waveId: number,
  partnerIds: ReadonlyArray<number>,
  state: Exclude<PartnerState, 'failed'>,
): Promise<void> {
  if (partnerIds.length === 0) return;
  await db('migration.wave_partners')
    .update({ state, failure_reason: null })
    .where({ wave_id: String(waveId) })
    .whereRaw('legacy_partner_id = ANY(?::int[])', [[...partnerIds]]);
}
