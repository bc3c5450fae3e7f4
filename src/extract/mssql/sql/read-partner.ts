import { selectList } from '../columns';
import type { MssqlRawRow } from '../convert-row';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

export function buildReadPartnerQuery(partnerId: number, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const sql = `SELECT ${selectList('Partners')} FROM [dbo].[Partners] WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)}`;
  return { sql, params };
}

export async function readPartner(db: MssqlQueryable, partnerId: number, watermark: string): Promise<MssqlRawRow | undefined> {
  const rows = await selectRows(db, buildReadPartnerQuery(partnerId, watermark));
  return rows[0];
}
