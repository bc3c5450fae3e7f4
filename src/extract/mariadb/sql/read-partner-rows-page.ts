import type { KeyRange } from '../../source-reader';
import { selectList } from '../columns';
import type { MariaDbRawRow } from '../convert-row';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { col, keyRange, rowVerAtMost, selectRows } from './query';

/** The tables read per partner by keyset on their primary key. */
export type PartnerOwnedTable = 'PartnerUsers' | 'Customers' | 'Orders' | 'Invoices';

export const PRIMARY_KEY: Record<PartnerOwnedTable, string> = {
  PartnerUsers: 'UserId', Customers: 'CustomerId', Orders: 'OrderId', Invoices: 'InvoiceId',
};

/**
 * One keyset page: `PartnerId = ? AND key in (after, upTo] AND RowVer <= wm ORDER BY key LIMIT n`.
 * The PartnerId index (MariaDB's FK index, which InnoDB extends with the primary key) serves
 * both the filter and the order, so a page reads only its own rows.
 */
export function buildPartnerRowsPageQuery(
  table: PartnerOwnedTable, partnerId: number, range: KeyRange | undefined, watermark: string, limit: number,
): MariaDbQuery {
  const key = col(undefined, PRIMARY_KEY[table]);
  const params: unknown[] = [partnerId];
  let sql = `SELECT ${selectList(table)} FROM \`${table}\` WHERE \`PartnerId\` = ?`;
  sql += keyRange(key, range, params);
  sql += ` AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  params.push(limit);
  sql += ` ORDER BY ${key} LIMIT ?`;
  return { sql, params };
}

export async function readPartnerRowsPage(
  db: MariaDbQueryable, table: PartnerOwnedTable, partnerId: number, range: KeyRange | undefined, watermark: string, limit: number,
): Promise<MariaDbRawRow[]> {
  return selectRows(db, buildPartnerRowsPageQuery(table, partnerId, range, watermark, limit));
}
