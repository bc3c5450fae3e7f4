import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

const PARTITIONED = {
  order: { table: 'Orders', key: 'OrderId' },
  invoice: { table: 'Invoices', key: 'InvoiceId' },
} as const;

/**
 * Every `rowsPerPartition`-th key of the partner (RowVer <= wm), leaving out the last key so
 * no trailing partition is empty. Only the PartnerId index is read.
 */
export function buildPartitionBoundsQuery(entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number): MariaDbQuery {
  const { table, key } = PARTITIONED[entity];
  const params: unknown[] = [partnerId];
  const inner = `SELECT \`${key}\` AS k, ROW_NUMBER() OVER (ORDER BY \`${key}\`) AS rn, COUNT(*) OVER () AS total`
    + ` FROM \`${table}\` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  params.push(rowsPerPartition);
  return { sql: `SELECT k FROM (${inner}) numbered WHERE rn % ? = 0 AND rn < total ORDER BY k`, params };
}

export async function readPartitionBounds(
  db: MariaDbQueryable, entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number,
): Promise<number[]> {
  const rows = await selectRows(db, buildPartitionBoundsQuery(entity, partnerId, watermark, rowsPerPartition));
  return rows.map((row) => Number(row.k));
}
