import type { PortalMode } from '../../../core/legacy-model';
import { checkPortalMode } from '../../statement-arguments';
import type { MssqlQuery } from './query';

export function buildUpdatePortalModeQuery(partnerId: number, mode: PortalMode): MssqlQuery {
  return {
    sql: 'UPDATE [dbo].[Partners] SET [PortalMode] = @mode WHERE [PartnerId] = @partnerId',
    params: [
      { name: 'mode', type: 'VarChar', value: checkPortalMode(mode) },
      { name: 'partnerId', type: 'Int', value: partnerId },
    ],
  };
}
