import type { AccountTable, KeyRange } from '../../source-reader';
import { selectList } from '../columns';
import type { MariaDbRawRow } from '../convert-row';
import { partnerIdList } from './canonical-sql';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { col, keyRange, rowVerAtMost, selectRows } from './query';

const KEY: Record<AccountTable, string> = { Partners: 'PartnerId', PartnerUsers: 'UserId', Customers: 'CustomerId' };

/** One keyset page of the rows of many partners: `PartnerId IN (...) AND key in (after, upTo] AND RowVer <= wm ORDER BY key LIMIT n`. */
export function buildRowsOfPartnersPageQuery(
  table: AccountTable, partnerIds: ReadonlyArray<number>, range: KeyRange, watermark: string, limit: number,
): MariaDbQuery {
  const key = col(undefined, KEY[table]);
  const params: unknown[] = [];
  let sql = `SELECT ${selectList(table)} FROM \`${table}\` WHERE \`PartnerId\` IN (${partnerIdList(partnerIds)})`;
  sql += keyRange(key, range, params);
  sql += ` AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  params.push(limit);
  sql += ` ORDER BY ${key} LIMIT ?`;
  return { sql, params };
}

export async function readRowsOfPartnersPage(
  db: MariaDbQueryable, table: AccountTable, partnerIds: ReadonlyArray<number>, range: KeyRange, watermark: string, limit: number,
): Promise<MariaDbRawRow[]> {
  return selectRows(db, buildRowsOfPartnersPageQuery(table, partnerIds, range, watermark, limit));
}
