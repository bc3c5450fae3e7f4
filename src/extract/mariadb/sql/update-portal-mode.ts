import type { PortalMode } from '../../../core/legacy-model';
import { checkPortalMode } from '../../statement-arguments';
import type { MariaDbQuery } from './query';

export function buildUpdatePortalModeQuery(partnerId: number, mode: PortalMode): MariaDbQuery {
  return {
    sql: 'UPDATE `Partners` SET `PortalMode` = ? WHERE `PartnerId` = ?',
    params: [checkPortalMode(mode), partnerId],
  };
}
