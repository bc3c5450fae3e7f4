import { UsageError } from '../../src/core/errors';
import { createWave, findWave, listPlannedPartnerIds } from '../../src/load';
import type { Services } from '../services';

/** Which partners a wave takes: given ids, the next N not in any wave yet, or all not in any wave yet. */
export type PartnerSelection = { ids: number[] } | { count: number } | { all: true };

export interface PlannedWave {
  waveId: number;
  name: string;
  partnerIds: number[];
}

/**
 * Records a wave and its partners (state `planned`). Unknown partner ids, partners already in a
 * wave (createWave names them and their waves) and duplicate wave names are refused (UsageError).
 */
export async function planWave(services: Services, name: string, selection: PartnerSelection): Promise<PlannedWave> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(name)) {
    throw new UsageError(
      `wave name "${name}" must be 1-63 letters, digits, "_", "." or "-", starting with a letter or digit`,
    );
  }
  if (await findWave(services.target, name)) throw new UsageError(`a wave named "${name}" already exists`);
  let partnerIds: number[];
  if ('ids' in selection) {
    const unique = [...new Set(selection.ids)];
    const found = new Set(await services.source.listPartnerIds({ ids: unique }));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new UsageError(`no legacy partner with id ${missing.join(', ')}`);
    partnerIds = unique.sort((a, b) => a - b);
  } else {
    const planned = new Set(await listPlannedPartnerIds(services.target));
    const candidates = (await services.source.listPartnerIds()).filter((id) => !planned.has(id));
    partnerIds = 'count' in selection ? candidates.slice(0, selection.count) : candidates;
    if (partnerIds.length === 0) throw new UsageError('every legacy partner is already in a wave; nothing to plan');
  }
  const waveId = await createWave(services.target, name, partnerIds);
  return { waveId, name, partnerIds };
}
