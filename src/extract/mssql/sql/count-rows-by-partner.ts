import { COUNTED_TABLES } from '../../count-rows-by-partner';
import { oneLine } from '../../one-line';
import type { PartnerRowCounts } from '../../source-reader';
import type { MssqlParam, MssqlQuery } from './query';
import { partnerIdsIn, rowVerAtMost } from './query';

/** One grouped count per table, the partner ids as one parameter (partnerIdsIn). */
export function buildCountRowsByPartnerQueries(
  partnerIds: number[],
  watermark: string,
): { entity: keyof PartnerRowCounts; query: MssqlQuery }[] {
  return COUNTED_TABLES.map(({ entity, table, parent }) => {
    const params: MssqlParam[] = [];
    const ids = partnerIdsIn(partnerIds, params);
    const sql = parent
      ? oneLine`
        SELECT p.[PartnerId] AS [p], COUNT(*) AS [n]
        FROM [dbo].[${table}] AS l JOIN [dbo].[${parent.table}] AS p ON p.[${parent.key}] = l.[${parent.key}]
        WHERE p.[PartnerId] ${ids} AND ${rowVerAtMost('l.[RowVer]', watermark, params)} GROUP BY p.[PartnerId]`
      : oneLine`
        SELECT [PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[${table}]
        WHERE [PartnerId] ${ids} AND ${rowVerAtMost('[RowVer]', watermark, params)} GROUP BY [PartnerId]`;
    return { entity, query: { sql, params } };
  });
}
