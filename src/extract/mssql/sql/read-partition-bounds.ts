import { PARTITIONED, type PartitionedEntity } from '../../legacy-keys';
import { oneLine } from '../../one-line';
import type { MssqlParam, MssqlQuery } from './query';
import { rowVerAtMost } from './query';

/** Every `@every`-th key of the partner (RowVer <= wm), leaving out the last key so no trailing partition is empty. */
export function buildPartitionBoundsQuery(
  entity: PartitionedEntity,
  partnerId: number,
  watermark: string,
  rowsPerPartition: number,
): MssqlQuery {
  const { table, key } = PARTITIONED[entity];
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const numbered = oneLine`
    SELECT [${key}] AS [k], ROW_NUMBER() OVER (ORDER BY [${key}]) AS [rn], COUNT(*) OVER () AS [total]
    FROM [dbo].[${table}] WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)}`;
  params.push({ name: 'every', type: 'Int', value: rowsPerPartition });
  const sql = `SELECT [k] FROM (${numbered}) AS [numbered] WHERE [rn] % @every = 0 AND [rn] < [total] ORDER BY [k]`;
  return { sql, params };
}
