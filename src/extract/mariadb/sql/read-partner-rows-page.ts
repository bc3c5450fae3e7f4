import type { KeyRange } from '../../../core/key-range';
import { PRIMARY_KEY, type PartnerOwnedTable } from '../../legacy-keys';
import type { LegacyTableName } from '../../source-reader';
import { selectList } from '../columns';
import type { MariaDbQuery } from './query';
import { col, keyRange, rowVerAtMost } from './query';

/**
 * One keyset page of `table`: `PartnerId <partners> AND key in (after, upTo] AND RowVer <= wm
 * ORDER BY key LIMIT n`, no OFFSET. `params` holds what `partners` binds.
 */
export function buildKeysetPageQuery(
  table: LegacyTableName,
  partners: string,
  params: unknown[],
  range: KeyRange | undefined,
  watermark: string | null,
  limit: number,
): MariaDbQuery {
  const key = col(undefined, PRIMARY_KEY[table]);
  let sql = `SELECT ${selectList(table)} FROM \`${table}\` WHERE \`PartnerId\` ${partners}`;
  sql += keyRange(key, range, params);
  if (watermark !== null) sql += ` AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  params.push(limit);
  return { sql: `${sql} ORDER BY ${key} LIMIT ?`, params };
}

/**
 * A keyset page of one partner's rows. The PartnerId index (MariaDB's FK index, which InnoDB
 * extends with the primary key) serves both the filter and the order, so a page reads only its own rows.
 */
export function buildPartnerRowsPageQuery(
  table: PartnerOwnedTable,
  partnerId: number,
  range: KeyRange | undefined,
  watermark: string,
  limit: number,
): MariaDbQuery {
  return buildKeysetPageQuery(table, '= ?', [partnerId], range, watermark, limit);
}
