import { oneLine } from '../../one-line';
import { PARTITIONED, type PartitionedEntity } from '../../legacy-keys';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

/**
 * Every `rowsPerPartition`-th key of the partner (RowVer <= wm), leaving out the last key so
 * no trailing partition is empty. Only the PartnerId index is read.
 */
export function buildPartitionBoundsQuery(
  entity: PartitionedEntity,
  partnerId: number,
  watermark: string,
  rowsPerPartition: number,
): MariaDbQuery {
  const { table, key } = PARTITIONED[entity];
  const params: unknown[] = [partnerId];
  const numbered = oneLine`
    SELECT \`${key}\` AS k, ROW_NUMBER() OVER (ORDER BY \`${key}\`) AS rn, COUNT(*) OVER () AS total
    FROM \`${table}\` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  params.push(rowsPerPartition);
  return { sql: `SELECT k FROM (${numbered}) numbered WHERE rn % ? = 0 AND rn < total ORDER BY k`, params };
}
