import { COUNTED_TABLES, gatherCounts } from '../../count-rows-by-partner';
import type { PartnerRowCounts } from '../../source-reader';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { partnerIdsIn, rowVerAtMost, selectRows } from './query';

/** One grouped count per table, the partner ids as one parameter (partnerIdsIn). */
export function buildCountRowsByPartnerQueries(partnerIds: number[], watermark: string): { entity: keyof PartnerRowCounts; query: MssqlQuery }[] {
  return COUNTED_TABLES.map(({ entity, table, parent }) => {
    const params: MssqlParam[] = [];
    const ids = partnerIdsIn(partnerIds, params);
    const sql = parent
      ? `SELECT p.[PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[${table}] AS l JOIN [dbo].[${parent.table}] AS p ON p.[${parent.key}] = l.[${parent.key}]`
        + ` WHERE p.[PartnerId] ${ids} AND ${rowVerAtMost('l.[RowVer]', watermark, params)} GROUP BY p.[PartnerId]`
      : `SELECT [PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[${table}] WHERE [PartnerId] ${ids}`
        + ` AND ${rowVerAtMost('[RowVer]', watermark, params)} GROUP BY [PartnerId]`;
    return { entity, query: { sql, params } };
  });
}

export async function countRowsByPartner(db: MssqlQueryable, partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>> {
  if (partnerIds.length === 0) return new Map();
  const perTable = await Promise.all(
    buildCountRowsByPartnerQueries(partnerIds, watermark).map(async ({ entity, query }) => ({ entity, rows: await selectRows(db, query) })),
  );
  return gatherCounts(partnerIds, perTable as { entity: keyof PartnerRowCounts; rows: { p: unknown; n: unknown }[] }[]);
}
