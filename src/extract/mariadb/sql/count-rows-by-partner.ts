import { COUNTED_TABLES, gatherCounts } from '../../count-rows-by-partner';
import type { PartnerRowCounts } from '../../source-reader';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** One grouped count per table, lines counted like the streams read them (every line of the partner's parents). */
export function buildCountRowsByPartnerQueries(partnerIds: number[], watermark: string): { entity: keyof PartnerRowCounts; query: MariaDbQuery }[] {
  return COUNTED_TABLES.map(({ entity, table, parent }) => {
    const params: unknown[] = [partnerIds];
    const sql = parent
      ? `SELECT p.\`PartnerId\` AS p, COUNT(*) AS n FROM \`${table}\` l JOIN \`${parent.table}\` p ON p.\`${parent.key}\` = l.\`${parent.key}\``
        + ` WHERE p.\`PartnerId\` IN (?) AND ${rowVerAtMost('l.`RowVer`', watermark, params)} GROUP BY p.\`PartnerId\``
      : `SELECT \`PartnerId\` AS p, COUNT(*) AS n FROM \`${table}\` WHERE \`PartnerId\` IN (?) AND ${rowVerAtMost('`RowVer`', watermark, params)}`
        + ' GROUP BY `PartnerId`';
    return { entity, query: { sql, params } };
  });
}

export async function countRowsByPartner(db: MariaDbQueryable, partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>> {
  if (partnerIds.length === 0) return new Map();
  const perTable = await Promise.all(
    buildCountRowsByPartnerQueries(partnerIds, watermark).map(async ({ entity, query }) => ({ entity, rows: await selectRows(db, query) })),
  );
  return gatherCounts(partnerIds, perTable as { entity: keyof PartnerRowCounts; rows: { p: unknown; n: unknown }[] }[]);
}
