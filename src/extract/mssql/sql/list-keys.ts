import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

export type ListedEntity = 'partner' | 'user' | 'customer';

const TABLES: Record<ListedEntity, { table: string; key: string }> = {
  partner: { table: 'Partners', key: 'PartnerId' },
  user: { table: 'PartnerUsers', key: 'UserId' },
  customer: { table: 'Customers', key: 'CustomerId' },
};

export function buildListKeysQuery(entity: ListedEntity, partnerId: number, watermark: string): MssqlQuery {
  const { table, key } = TABLES[entity];
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  return {
    sql: `SELECT [${key}] AS [k] FROM [dbo].[${table}] WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)} ORDER BY [${key}]`,
    params,
  };
}

export async function listKeys(db: MssqlQueryable, entity: ListedEntity, partnerId: number, watermark: string): Promise<number[]> {
  const rows = await selectRows(db, buildListKeysQuery(entity, partnerId, watermark));
  return rows.map((row) => Number(row.k));
}
