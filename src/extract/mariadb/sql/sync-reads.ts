import { oneLine } from '../../one-line';
import { LINES_OF, PRIMARY_KEY, type LineTable } from '../../legacy-keys';
import type { LegacyTableName } from '../../source-reader';
import { checkWatermark } from '../../statement-arguments';
import { syncShape, type ArchivedTable } from '../../sync-tables';
import { quoteName, selectList } from '../columns';
import { partnerIdList } from './canonical-sql';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

/**
 * The rows of `table` changed in the window `(after, upTo]` of RowVer (the RowVer index drives
 * it), as (partner, reported key, RowVer): a line is reported under its parent's key.
 */
export function buildChangedRowsQuery(table: LegacyTableName, after: string, upTo: string): MariaDbQuery {
  const params: unknown[] = [checkWatermark(after, 20)];
  const { key, reported, parent } = syncShape(table);
  const sql = parent
    ? oneLine`
      SELECT p.\`PartnerId\` AS p, l.${quoteName(reported)} AS k, l.${quoteName(key)} AS r, CAST(l.\`RowVer\` AS CHAR) AS v
      FROM ${quoteName(table)} l JOIN ${quoteName(parent.table)} p ON p.${quoteName(parent.key)} = l.${quoteName(reported)}
      WHERE l.\`RowVer\` > CAST(? AS UNSIGNED) AND ${rowVerAtMost('l.`RowVer`', upTo, params)}`
    : oneLine`
      SELECT \`PartnerId\` AS p, ${quoteName(reported)} AS k, ${quoteName(key)} AS r, CAST(\`RowVer\` AS CHAR) AS v
      FROM ${quoteName(table)}
      WHERE \`RowVer\` > CAST(? AS UNSIGNED) AND ${rowVerAtMost('`RowVer`', upTo, params)}`;
  return { sql, params };
}

/** Orders, invoices or lines by their own key at the watermark, in key order (the keys as validated literals). */
export function buildRowsByKeysQuery(
  table: 'Orders' | 'Invoices' | LineTable,
  keys: ReadonlyArray<number>,
  watermark: string,
): MariaDbQuery {
  const params: unknown[] = [];
  const key = quoteName(PRIMARY_KEY[table]);
  const sql = oneLine`
    SELECT ${selectList(table)} FROM ${quoteName(table)}
    WHERE ${key} IN (${partnerIdList(keys)}) AND ${rowVerAtMost('`RowVer`', watermark, params)}
    ORDER BY ${key}`;
  return { sql, params };
}

/** Every line of these parents at the watermark, in (parent, line) order. */
export function buildLinesOfParentKeysQuery(
  table: LineTable,
  parentKeys: ReadonlyArray<number>,
  watermark: string,
): MariaDbQuery {
  const params: unknown[] = [];
  const { parentKey, lineKey } = LINES_OF[table];
  const sql = oneLine`
    SELECT ${selectList(table)} FROM ${quoteName(table)}
    WHERE ${quoteName(parentKey)} IN (${partnerIdList(parentKeys)}) AND ${rowVerAtMost('`RowVer`', watermark, params)}
    ORDER BY ${quoteName(parentKey)}, ${quoteName(lineKey)}`;
  return { sql, params };
}

/**
 * Per partner, the count and the sum of the keys of its rows of `table` as they are now (a hard
 * delete leaves no RowVer: the key set is all there is to compare).
 */
export function buildKeyDigestsQuery(table: ArchivedTable, partnerIds: ReadonlyArray<number>): MariaDbQuery {
  const { key, parent } = syncShape(table);
  const ids = partnerIdList(partnerIds);
  const sql = parent
    ? oneLine`
      SELECT p.\`PartnerId\` AS p, COUNT(*) AS n, CAST(SUM(l.${quoteName(key)}) AS CHAR) AS s
      FROM ${quoteName(table)} l JOIN ${quoteName(parent.table)} p ON p.${quoteName(parent.key)} = l.${quoteName(parent.key)}
      WHERE p.\`PartnerId\` IN (${ids}) GROUP BY p.\`PartnerId\``
    : oneLine`
      SELECT \`PartnerId\` AS p, COUNT(*) AS n, CAST(SUM(${quoteName(key)}) AS CHAR) AS s
      FROM ${quoteName(table)} WHERE \`PartnerId\` IN (${ids}) GROUP BY \`PartnerId\``;
  return { sql, params: [] };
}

/** The keys of one partner's rows of `table` as they are now, in key order. */
export function buildKeysOfPartnerQuery(table: ArchivedTable, partnerId: number): MariaDbQuery {
  const { key, parent } = syncShape(table);
  const sql = parent
    ? oneLine`
      SELECT l.${quoteName(key)} AS k
      FROM ${quoteName(table)} l JOIN ${quoteName(parent.table)} p ON p.${quoteName(parent.key)} = l.${quoteName(parent.key)}
      WHERE p.\`PartnerId\` = ? ORDER BY l.${quoteName(key)}`
    : oneLine`SELECT ${quoteName(key)} AS k FROM ${quoteName(table)} WHERE \`PartnerId\` = ? ORDER BY ${quoteName(key)}`;
  return { sql, params: [partnerId] };
}
