import { COUNTED_TABLES } from '../../count-rows-by-partner';
import { oneLine } from '../../one-line';
import type { PartnerRowCounts } from '../../source-reader';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

/** One grouped count per table, lines counted like the streams read them (every line of the partner's parents). */
export function buildCountRowsByPartnerQueries(
  partnerIds: number[],
  watermark: string,
): { entity: keyof PartnerRowCounts; query: MariaDbQuery }[] {
  return COUNTED_TABLES.map(({ entity, table, parent }) => {
    const params: unknown[] = [partnerIds];
    const sql = parent
      ? oneLine`
        SELECT p.\`PartnerId\` AS p, COUNT(*) AS n
        FROM \`${table}\` l JOIN \`${parent.table}\` p ON p.\`${parent.key}\` = l.\`${parent.key}\`
        WHERE p.\`PartnerId\` IN (?) AND ${rowVerAtMost('l.`RowVer`', watermark, params)} GROUP BY p.\`PartnerId\``
      : oneLine`
        SELECT \`PartnerId\` AS p, COUNT(*) AS n FROM \`${table}\`
        WHERE \`PartnerId\` IN (?) AND ${rowVerAtMost('`RowVer`', watermark, params)} GROUP BY \`PartnerId\``;
    return { entity, query: { sql, params } };
  });
}
