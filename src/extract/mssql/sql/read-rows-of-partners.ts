import type { AccountTable, KeyRange } from '../../source-reader';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlRawRow } from '../convert-row';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { keyRange, partnerIdsIn, rowVerAtMost, selectRows } from './query';

const KEY: Record<AccountTable, string> = { Partners: 'PartnerId', PartnerUsers: 'UserId', Customers: 'CustomerId' };

/** One keyset page of the rows of many partners, `TOP (@limit)` in key order. */
export function buildRowsOfPartnersPageQuery(
  table: AccountTable, partnerIds: ReadonlyArray<number>, range: KeyRange, watermark: string, limit: number,
): MssqlQuery {
  const key = bracket(KEY[table]);
  const params: MssqlParam[] = [{ name: 'limit', type: 'Int', value: limit }];
  let sql = `SELECT TOP (@limit) ${selectList(table)} FROM ${tableName(table)} WHERE [PartnerId] ${partnerIdsIn(partnerIds, params)}`;
  sql += keyRange(key, range, params);
  sql += ` AND ${rowVerAtMost('[RowVer]', watermark, params)} ORDER BY ${key}`;
  return { sql, params };
}

export async function readRowsOfPartnersPage(
  db: MssqlQueryable, table: AccountTable, partnerIds: ReadonlyArray<number>, range: KeyRange, watermark: string, limit: number,
): Promise<MssqlRawRow[]> {
  return selectRows(db, buildRowsOfPartnersPageQuery(table, partnerIds, range, watermark, limit));
}
