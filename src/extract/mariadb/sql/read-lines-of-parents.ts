import type { KeyRange } from '../../../core/key-range';
import { oneLine } from '../../one-line';
import { LINES_OF, type LineTable } from '../../legacy-keys';
import { selectList } from '../columns';
import { partnerIdList } from './canonical-sql';
import type { MariaDbQuery } from './query';
import { col, keyRange, rowVerAtMost } from './query';

/**
 * Every line (RowVer <= wm) of the partner's parents whose key is in `(after, upTo]`, whatever
 * the parent's own RowVer. The range is put on the parent's key so the plan drives from the
 * parent's PartnerId index (extended with its primary key) into the line's FK index.
 */
export function buildLinesOfParentsQuery(
  table: LineTable,
  partnerId: number,
  range: KeyRange,
  watermark: string,
): MariaDbQuery {
  return linesQuery(table, '= ?', [partnerId], range, watermark);
}

/** The lines of many partners' parents (a batch of small partners), the ids as validated literals. */
export function buildLinesOfPartnersQuery(
  table: LineTable,
  partnerIds: ReadonlyArray<number>,
  range: KeyRange,
  watermark: string,
): MariaDbQuery {
  return linesQuery(table, `IN (${partnerIdList(partnerIds)})`, [], range, watermark);
}

function linesQuery(
  table: LineTable,
  partners: string,
  params: unknown[],
  range: KeyRange,
  watermark: string,
): MariaDbQuery {
  const { parent, parentKey, lineKey } = LINES_OF[table];
  const sql = oneLine`
    SELECT ${selectList(table, 'l')}
    FROM \`${table}\` l JOIN \`${parent}\` p ON p.${col(undefined, parentKey)} = l.${col(undefined, parentKey)}
    WHERE p.\`PartnerId\` ${partners}${keyRange(col('p', parentKey), range, params)}
      AND ${rowVerAtMost('l.`RowVer`', watermark, params)}
    ORDER BY ${col('l', parentKey)}, ${col('l', lineKey)}`;
  return { sql, params };
}
