import type { KeyRange } from '../../source-reader';
import { selectList } from '../columns';
import type { MariaDbRawRow } from '../convert-row';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { col, keyRange, rowVerAtMost, selectRows } from './query';

/** Line tables and the parent each one hangs off. */
export const LINES_OF = {
  OrderLines: { parent: 'Orders', parentKey: 'OrderId', lineKey: 'OrderLineId' },
  InvoiceLines: { parent: 'Invoices', parentKey: 'InvoiceId', lineKey: 'InvoiceLineId' },
} as const;

export type LineTable = keyof typeof LINES_OF;

/**
 * Every line (RowVer <= wm) of the partner's parents whose key is in `(after, upTo]`, whatever
 * the parent's own RowVer. The range is put on the parent's key so the plan drives from the
 * parent's PartnerId index (extended with its primary key) into the line's FK index.
 */
export function buildLinesOfParentsQuery(table: LineTable, partnerId: number, range: KeyRange, watermark: string): MariaDbQuery {
  const { parent, parentKey, lineKey } = LINES_OF[table];
  const params: unknown[] = [partnerId];
  let sql = `SELECT ${selectList(table, 'l')} FROM \`${table}\` l JOIN \`${parent}\` p ON p.${col(undefined, parentKey)} = l.${col(undefined, parentKey)}`;
  sql += ' WHERE p.`PartnerId` = ?';
  sql += keyRange(col('p', parentKey), range, params);
  sql += ` AND ${rowVerAtMost('l.`RowVer`', watermark, params)}`;
  sql += ` ORDER BY ${col('l', parentKey)}, ${col('l', lineKey)}`;
  return { sql, params };
}

export async function readLinesOfParents(
  db: MariaDbQueryable, table: LineTable, partnerId: number, range: KeyRange, watermark: string,
): Promise<MariaDbRawRow[]> {
  return selectRows(db, buildLinesOfParentsQuery(table, partnerId, range, watermark));
}
