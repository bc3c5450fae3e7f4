import { oneLine } from '../../one-line';
import { selectList } from '../columns';
import type { MssqlParam, MssqlQuery } from './query';
import { rowVerAtMost } from './query';

export function buildReadPartnerQuery(partnerId: number, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const sql = oneLine`
    SELECT ${selectList('Partners')} FROM [dbo].[Partners]
    WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)}`;
  return { sql, params };
}
