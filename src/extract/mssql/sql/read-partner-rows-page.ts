import type { KeyRange } from '../../../core/key-range';
import { PRIMARY_KEY, type PartnerOwnedTable } from '../../legacy-keys';
import type { LegacyTableName } from '../../source-reader';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlParam, MssqlQuery } from './query';
import { keyRange, rowVerAtMost } from './query';

/**
 * One keyset page of `table`: `TOP (@limit)` rows whose PartnerId matches what `partners` binds
 * and returns, key in `(@after, @upTo]`, RowVer <= wm, in key order; no OFFSET.
 */
export function buildKeysetPageQuery(
  table: LegacyTableName,
  partners: (params: MssqlParam[]) => string,
  range: KeyRange | undefined,
  watermark: string | null,
  limit: number,
): MssqlQuery {
  const key = bracket(PRIMARY_KEY[table]);
  const params: MssqlParam[] = [{ name: 'limit', type: 'Int', value: limit }];
  let sql = `SELECT TOP (@limit) ${selectList(table)} FROM ${tableName(table)} WHERE [PartnerId] ${partners(params)}`;
  sql += keyRange(key, range, params);
  if (watermark !== null) sql += ` AND ${rowVerAtMost('[RowVer]', watermark, params)}`;
  sql += ` ORDER BY ${key}`;
  return { sql, params };
}

/**
 * A keyset page of one partner's rows. Orders and Invoices seek IX_..._PartnerId (its row
 * locator is the clustered key, so it is ordered by key within a partner); PartnerUsers and
 * Customers have no PartnerId index in production and walk the clustered index from `@after`.
 */
export function buildPartnerRowsPageQuery(
  table: PartnerOwnedTable,
  partnerId: number,
  range: KeyRange | undefined,
  watermark: string,
  limit: number,
): MssqlQuery {
  const onePartner = (params: MssqlParam[]) => {
    params.push({ name: 'partnerId', type: 'Int', value: partnerId });
    return '= @partnerId';
  };
  return buildKeysetPageQuery(table, onePartner, range, watermark, limit);
}
