import { moneyColumns, type ArchiveEntity } from '../../../core/canonical';
import type { KeyRange } from '../../../core/key-range';
import { oneLine } from '../../one-line';
import { bracket } from '../columns';
import { partnerRowsSource, rangeCondition, trimExpression } from './canonical-sql';
import type { MssqlParam, MssqlQuery } from './query';
import { partnerIdsIn, rowVerAtMost } from './query';

/** The exact sum of the row hashes, as decimal(38,0) text. */
const HASH_TOTAL = 'CONVERT(varchar(40), SUM(CONVERT(decimal(38, 0), [h]))) AS [total]';

/** Count, exact hash sum and key span per range, in one scan of the partner's rows. */
export function buildRangeChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  ranges: KeyRange[],
): MssqlQuery {
  if (ranges.length === 0) throw new RangeError('at least one range');
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const buckets = ranges
    .map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`)
    .join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = oneLine`
    SELECT [bucket], COUNT(*) AS [n], ${HASH_TOTAL}, MIN([k]) AS [min_key], MAX([k]) AS [max_key]
    FROM (
      SELECT CASE ${buckets} END AS [bucket], ${source.rangeKey} AS [k], [x].[rh] AS [h]
      ${source.from} AND (${any})
    ) AS [hashed] GROUP BY [bucket]`;
  return { sql, params };
}

/** Every row's own key and row hash in one range, in key order. */
export function buildKeyChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  range: KeyRange,
): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const sql = oneLine`
    SELECT ${source.key} AS [k], CONVERT(varchar(20), [x].[rh]) AS [h]
    ${source.from} AND ${rangeCondition(source.rangeKey, range)} ORDER BY ${source.key}`;
  return { sql, params };
}

/**
 * Each partner's checksum in one grouped scan of all of them; orders and invoices are grouped
 * by partner, currency and month and also sum their money there; money as style-2 text.
 */
export function buildPartnerDigestsQuery(
  entity: ArchiveEntity,
  partnerIds: ReadonlyArray<number>,
  watermark: string,
): MssqlQuery {
  const params: MssqlParam[] = [];
  const partners = partnerIdsIn(partnerIds, params);
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true, partners);
  const money = moneyColumns(entity);
  const groups = money
    ? `, UPPER(${trimExpression(`t.${bracket(money.currency.legacy)}`)}) AS [currency]` +
      `, CONVERT(char(7), t.${bracket(money.date.legacy)}, 23) AS [month]` +
      money.amounts.map((amount, index) => `, t.${bracket(amount.legacy)} AS [m${index + 1}]`).join('')
    : '';
  const sums = money
    ? money.amounts.map((_, index) => `, CONVERT(varchar(40), SUM([m${index + 1}]), 2) AS [a${index + 1}]`).join('')
    : '';
  const groupBy = money ? '[pid], [currency], [month]' : '[pid]';
  const sql = oneLine`
    SELECT ${groupBy}, COUNT(*) AS [n], ${HASH_TOTAL}, MIN([k]) AS [min_key], MAX([k]) AS [max_key]${sums}
    FROM (
      SELECT ${source.partner} AS [pid], ${source.rangeKey} AS [k], [x].[rh] AS [h]${groups}
      ${source.from}
    ) AS [hashed] GROUP BY ${groupBy}`;
  return { sql, params };
}
