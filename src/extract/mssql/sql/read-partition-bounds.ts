import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

const PARTITIONED = {
  order: { table: 'Orders', key: 'OrderId' },
  invoice: { table: 'Invoices', key: 'InvoiceId' },
} as const;

/** Every `@every`-th key of the partner (RowVer <= wm), leaving out the last key so no trailing partition is empty. */
export function buildPartitionBoundsQuery(entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number): MssqlQuery {
  const { table, key } = PARTITIONED[entity];
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const inner = `SELECT [${key}] AS [k], ROW_NUMBER() OVER (ORDER BY [${key}]) AS [rn], COUNT(*) OVER () AS [total]`
    + ` FROM [dbo].[${table}] WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)}`;
  params.push({ name: 'every', type: 'Int', value: rowsPerPartition });
  return { sql: `SELECT [k] FROM (${inner}) AS [numbered] WHERE [rn] % @every = 0 AND [rn] < [total] ORDER BY [k]`, params };
}

export async function readPartitionBounds(
  db: MssqlQueryable, entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number,
): Promise<number[]> {
  const rows = await selectRows(db, buildPartitionBoundsQuery(entity, partnerId, watermark, rowsPerPartition));
  return rows.map((row) => Number(row.k));
}
