import { ContractViolationError } from '../../../core/errors';
import type { PortalMode } from '../../../core/legacy-model';
import type { MssqlQuery, MssqlQueryable } from './query';
import { execute } from './query';

/** The values the portal understands; anything else would break the portal for that partner. */
export const PORTAL_MODES: readonly PortalMode[] = ['Live', 'MigrationScheduled', 'Migrated', 'Archive'];

export function buildUpdatePortalModeQuery(partnerId: number, mode: PortalMode): MssqlQuery {
  if (!PORTAL_MODES.includes(mode)) throw new ContractViolationError(`PortalMode must be one of ${PORTAL_MODES.join(', ')}, got "${String(mode)}"`);
  return {
    sql: 'UPDATE [dbo].[Partners] SET [PortalMode] = @mode WHERE [PartnerId] = @partnerId',
    params: [{ name: 'mode', type: 'VarChar', value: mode }, { name: 'partnerId', type: 'Int', value: partnerId }],
  };
}

/** The pipeline's only legacy write; a partner that is not there is an error, not a no-op. */
export async function updatePortalMode(db: MssqlQueryable, partnerId: number, mode: PortalMode): Promise<void> {
  const affected = await execute(db, buildUpdatePortalModeQuery(partnerId, mode));
  if (affected !== 1) throw new ContractViolationError(`legacy partner ${partnerId} not found; PortalMode not set`);
}
