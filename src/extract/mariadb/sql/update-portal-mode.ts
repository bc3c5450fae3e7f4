import type { ResultSetHeader } from 'mysql2/promise';
import { ContractViolationError } from '../../../core/errors';
import type { PortalMode } from '../../../core/legacy-model';
import type { MariaDbQuery, MariaDbQueryable } from './query';

/** The values the portal understands; anything else would break the portal for that partner. */
export const PORTAL_MODES: readonly PortalMode[] = ['Live', 'MigrationScheduled', 'Migrated', 'Archive'];

export function buildUpdatePortalModeQuery(partnerId: number, mode: PortalMode): MariaDbQuery {
  if (!PORTAL_MODES.includes(mode)) throw new ContractViolationError(`PortalMode must be one of ${PORTAL_MODES.join(', ')}, got "${String(mode)}"`);
  return { sql: 'UPDATE `Partners` SET `PortalMode` = ? WHERE `PartnerId` = ?', params: [mode, partnerId] };
}

/** The pipeline's only legacy write; a partner that is not there is an error, not a no-op. */
export async function updatePortalMode(db: MariaDbQueryable, partnerId: number, mode: PortalMode): Promise<void> {
  const query = buildUpdatePortalModeQuery(partnerId, mode);
  const [result] = await db.query<ResultSetHeader>(query.sql, query.params);
  // mysql2 sets CLIENT_FOUND_ROWS, so affectedRows counts matched rows even when the mode is unchanged.
  if (result.affectedRows !== 1) throw new ContractViolationError(`legacy partner ${partnerId} not found; PortalMode not set`);
}
