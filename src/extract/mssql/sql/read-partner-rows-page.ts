import type { KeyRange } from '../../source-reader';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlRawRow } from '../convert-row';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { keyRange, rowVerAtMost, selectRows } from './query';

/** The tables read per partner by keyset on their primary key. */
export type PartnerOwnedTable = 'PartnerUsers' | 'Customers' | 'Orders' | 'Invoices';

export const PRIMARY_KEY: Record<PartnerOwnedTable, string> = {
  PartnerUsers: 'UserId', Customers: 'CustomerId', Orders: 'OrderId', Invoices: 'InvoiceId',
};

/**
 * One keyset page with `TOP (@limit)`. Orders and Invoices seek IX_..._PartnerId (its row
 * locator is the clustered key, so it is ordered by key within a partner); PartnerUsers and
 * Customers have no PartnerId index in production and walk the clustered index from `@after`.
 */
export function buildPartnerRowsPageQuery(
  table: PartnerOwnedTable, partnerId: number, range: KeyRange | undefined, watermark: string, limit: number,
): MssqlQuery {
  const key = bracket(PRIMARY_KEY[table]);
  const params: MssqlParam[] = [{ name: 'limit', type: 'Int', value: limit }, { name: 'partnerId', type: 'Int', value: partnerId }];
  let sql = `SELECT TOP (@limit) ${selectList(table)} FROM ${tableName(table)} WHERE [PartnerId] = @partnerId`;
  sql += keyRange(key, range, params);
  sql += ` AND ${rowVerAtMost('[RowVer]', watermark, params)} ORDER BY ${key}`;
  return { sql, params };
}

export const buildUserPageQuery = (partnerId: number, range: KeyRange | undefined, watermark: string, limit: number) =>
  buildPartnerRowsPageQuery('PartnerUsers', partnerId, range, watermark, limit);
export const buildCustomerPageQuery = (partnerId: number, range: KeyRange | undefined, watermark: string, limit: number) =>
  buildPartnerRowsPageQuery('Customers', partnerId, range, watermark, limit);
export const buildOrderPageQuery = (partnerId: number, range: KeyRange | undefined, watermark: string, limit: number) =>
  buildPartnerRowsPageQuery('Orders', partnerId, range, watermark, limit);
export const buildInvoicePageQuery = (partnerId: number, range: KeyRange | undefined, watermark: string, limit: number) =>
  buildPartnerRowsPageQuery('Invoices', partnerId, range, watermark, limit);

export async function readPartnerRowsPage(
  db: MssqlQueryable, table: PartnerOwnedTable, partnerId: number, range: KeyRange | undefined, watermark: string, limit: number,
): Promise<MssqlRawRow[]> {
  return selectRows(db, buildPartnerRowsPageQuery(table, partnerId, range, watermark, limit));
}
