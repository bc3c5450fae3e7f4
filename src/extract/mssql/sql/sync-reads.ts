import { oneLine } from '../../one-line';
import { LINES_OF, PRIMARY_KEY, type LineTable } from '../../legacy-keys';
import type { LegacyTableName } from '../../source-reader';
import { checkWatermark } from '../../statement-arguments';
import { syncShape, type ArchivedTable } from '../../sync-tables';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlParam, MssqlQuery } from './query';
import { partnerIdsIn, rowVerAtMost } from './query';

/** `RowVer > @after`, binary(8) against binary(8) as rowVerAtMost does. */
function rowVerAfter(column: string, after: string, params: MssqlParam[]): string {
  params.push({ name: 'after', type: 'VarChar', value: checkWatermark(after, 19) });
  return `${column} > CONVERT(binary(8), CONVERT(bigint, @after))`;
}

/**
 * The rows of `table` changed in the window `(after, upTo]` of RowVer, as (partner, reported
 * key, RowVer): a line is reported under its parent's key.
 */
export function buildChangedRowsQuery(table: LegacyTableName, after: string, upTo: string): MssqlQuery {
  const params: MssqlParam[] = [];
  const { key, reported, parent } = syncShape(table);
  const sql = parent
    ? oneLine`
      SELECT p.[PartnerId] AS [p], l.${bracket(reported)} AS [k], l.${bracket(key)} AS [r], CONVERT(varchar(20), CONVERT(bigint, l.[RowVer])) AS [v]
      FROM ${tableName(table)} AS l JOIN ${tableName(parent.table)} AS p ON p.${bracket(parent.key)} = l.${bracket(reported)}
      WHERE ${rowVerAfter('l.[RowVer]', after, params)} AND ${rowVerAtMost('l.[RowVer]', upTo, params)}`
    : oneLine`
      SELECT [PartnerId] AS [p], ${bracket(reported)} AS [k], ${bracket(key)} AS [r], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [v]
      FROM ${tableName(table)}
      WHERE ${rowVerAfter('[RowVer]', after, params)} AND ${rowVerAtMost('[RowVer]', upTo, params)}`;
  return { sql, params };
}

/** Orders, invoices or lines by their own key at the watermark, in key order (the keys as one parameter, partnerIdsIn). */
export function buildRowsByKeysQuery(
  table: 'Orders' | 'Invoices' | LineTable,
  keys: ReadonlyArray<number>,
  watermark: string,
): MssqlQuery {
  const params: MssqlParam[] = [];
  const key = bracket(PRIMARY_KEY[table]);
  const sql = oneLine`
    SELECT ${selectList(table)} FROM ${tableName(table)}
    WHERE ${key} ${partnerIdsIn(keys, params)} AND ${rowVerAtMost('[RowVer]', watermark, params)}
    ORDER BY ${key}`;
  return { sql, params };
}

/** Every line of these parents at the watermark, in (parent, line) order. */
export function buildLinesOfParentKeysQuery(
  table: LineTable,
  parentKeys: ReadonlyArray<number>,
  watermark: string,
): MssqlQuery {
  const params: MssqlParam[] = [];
  const { parentKey, lineKey } = LINES_OF[table];
  const sql = oneLine`
    SELECT ${selectList(table)} FROM ${tableName(table)}
    WHERE ${bracket(parentKey)} ${partnerIdsIn(parentKeys, params)} AND ${rowVerAtMost('[RowVer]', watermark, params)}
    ORDER BY ${bracket(parentKey)}, ${bracket(lineKey)}`;
  return { sql, params };
}

/** Per partner, the count and the sum of the keys of its rows of `table` as they are now. */
export function buildKeyDigestsQuery(table: ArchivedTable, partnerIds: ReadonlyArray<number>): MssqlQuery {
  const params: MssqlParam[] = [];
  const { key, parent } = syncShape(table);
  const ids = partnerIdsIn(partnerIds, params);
  const sql = parent
    ? oneLine`
      SELECT p.[PartnerId] AS [p], COUNT(*) AS [n], CONVERT(varchar(40), SUM(CONVERT(bigint, l.${bracket(key)}))) AS [s]
      FROM ${tableName(table)} AS l JOIN ${tableName(parent.table)} AS p ON p.${bracket(parent.key)} = l.${bracket(parent.key)}
      WHERE p.[PartnerId] ${ids} GROUP BY p.[PartnerId]`
    : oneLine`
      SELECT [PartnerId] AS [p], COUNT(*) AS [n], CONVERT(varchar(40), SUM(CONVERT(bigint, ${bracket(key)}))) AS [s]
      FROM ${tableName(table)} WHERE [PartnerId] ${ids} GROUP BY [PartnerId]`;
  return { sql, params };
}

/** The keys of one partner's rows of `table` as they are now, in key order. */
export function buildKeysOfPartnerQuery(table: ArchivedTable, partnerId: number): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const { key, parent } = syncShape(table);
  const sql = parent
    ? oneLine`
      SELECT l.${bracket(key)} AS [k]
      FROM ${tableName(table)} AS l JOIN ${tableName(parent.table)} AS p ON p.${bracket(parent.key)} = l.${bracket(parent.key)}
      WHERE p.[PartnerId] = @partnerId ORDER BY l.${bracket(key)}`
    : oneLine`SELECT ${bracket(key)} AS [k] FROM ${tableName(table)} WHERE [PartnerId] = @partnerId ORDER BY ${bracket(key)}`;
  return { sql, params };
}
