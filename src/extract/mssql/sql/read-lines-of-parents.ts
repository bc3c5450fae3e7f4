import type { KeyRange } from '../../source-reader';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlRawRow } from '../convert-row';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { keyRange, rowVerAtMost, selectRows } from './query';

/** Line tables and the parent each one hangs off. */
export const LINES_OF = {
  OrderLines: { parent: 'Orders', parentKey: 'OrderId', lineKey: 'OrderLineId' },
  InvoiceLines: { parent: 'Invoices', parentKey: 'InvoiceId', lineKey: 'InvoiceLineId' },
} as const;

export type LineTable = keyof typeof LINES_OF;

/**
 * Every line (RowVer <= wm) of the partner's parents with key in `(@after, @upTo]`, whatever the
 * parent's own RowVer: a seek on IX_<Parent>_PartnerId, then IX_<Lines>_<ParentKey>.
 */
export function buildLinesOfParentsQuery(table: LineTable, partnerId: number, range: KeyRange, watermark: string): MssqlQuery {
  const { parent, parentKey, lineKey } = LINES_OF[table];
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  let sql = `SELECT ${selectList(table, 'l')} FROM ${tableName(table)} AS l`
    + ` JOIN ${tableName(parent)} AS p ON p.${bracket(parentKey)} = l.${bracket(parentKey)}`
    + ' WHERE p.[PartnerId] = @partnerId';
  sql += keyRange(`p.${bracket(parentKey)}`, range, params);
  sql += ` AND ${rowVerAtMost('l.[RowVer]', watermark, params)}`;
  sql += ` ORDER BY l.${bracket(parentKey)}, l.${bracket(lineKey)}`;
  return { sql, params };
}

export const buildOrderLinesQuery = (partnerId: number, range: KeyRange, watermark: string) =>
  buildLinesOfParentsQuery('OrderLines', partnerId, range, watermark);
export const buildInvoiceLinesQuery = (partnerId: number, range: KeyRange, watermark: string) =>
  buildLinesOfParentsQuery('InvoiceLines', partnerId, range, watermark);

export async function readLinesOfParents(
  db: MssqlQueryable, table: LineTable, partnerId: number, range: KeyRange, watermark: string,
): Promise<MssqlRawRow[]> {
  return selectRows(db, buildLinesOfParentsQuery(table, partnerId, range, watermark));
}
