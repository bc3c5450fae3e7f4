import type { KeyRange } from '../../../core/key-range';
import { LINES_OF, type LineTable } from '../../legacy-keys';
import { oneLine } from '../../one-line';
import { bracket, selectList, tableName } from '../columns';
import type { MssqlParam, MssqlQuery } from './query';
import { keyRange, partnerIdsIn, rowVerAtMost } from './query';

/**
 * Every line (RowVer <= wm) of the partner's parents with key in `(@after, @upTo]`, whatever the
 * parent's own RowVer: a seek on IX_<Parent>_PartnerId, then IX_<Lines>_<ParentKey>.
 */
export function buildLinesOfParentsQuery(
  table: LineTable,
  partnerId: number,
  range: KeyRange,
  watermark: string,
): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  return linesQuery(table, '= @partnerId', params, range, watermark);
}

/** The lines of many partners' parents (a batch of small partners), the ids as one parameter split on the server. */
export function buildLinesOfPartnersQuery(
  table: LineTable,
  partnerIds: ReadonlyArray<number>,
  range: KeyRange,
  watermark: string,
): MssqlQuery {
  const params: MssqlParam[] = [];
  const partners = partnerIdsIn(partnerIds, params);
  return linesQuery(table, partners, params, range, watermark);
}

function linesQuery(
  table: LineTable,
  partners: string,
  params: MssqlParam[],
  range: KeyRange,
  watermark: string,
): MssqlQuery {
  const { parent, parentKey, lineKey } = LINES_OF[table];
  const sql = oneLine`
    SELECT ${selectList(table, 'l')}
    FROM ${tableName(table)} AS l JOIN ${tableName(parent)} AS p ON p.${bracket(parentKey)} = l.${bracket(parentKey)}
    WHERE p.[PartnerId] ${partners}${keyRange(`p.${bracket(parentKey)}`, range, params)}
      AND ${rowVerAtMost('l.[RowVer]', watermark, params)}
    ORDER BY l.${bracket(parentKey)}, l.${bracket(lineKey)}`;
  return { sql, params };
}
