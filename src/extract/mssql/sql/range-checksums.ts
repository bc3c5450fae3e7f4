import { moneyColumns, type ArchiveEntity } from '../../../core/canonical';
import type { KeyRange } from '../../../core/key-range';
import { splitByScope, type ScopedKeys } from '../../../core/scoped-keys';
import { oneLine } from '../../one-line';
import { bracket } from '../columns';
import { partnerRowsSource, rangeCondition, scopedRowsSource, trimExpression } from './canonical-sql';
import type { MssqlParam, MssqlQuery } from './query';
import { idsIn, keyPairsTable, partnerIdsIn, rowVerAtMost } from './query';

/** ` AND <range key> IN (<keys>)` when a bisection is over a scope's keys only; nothing otherwise. */
function scopeCondition(rangeKey: string, keys: ReadonlyArray<number> | undefined, params: MssqlParam[]): string {
  return keys === undefined ? '' : ` AND ${rangeKey} ${idsIn('keys', keys, params)}`;
}

/** The exact sum of the row hashes, as decimal(38,0) text. */
const HASH_TOTAL = 'CONVERT(varchar(40), SUM(CONVERT(decimal(38, 0), [h]))) AS [total]';

/** Count, exact hash sum and key span per range, in one scan of the partner's rows. */
export function buildRangeChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  ranges: KeyRange[],
  keys?: ReadonlyArray<number>,
): MssqlQuery {
  if (ranges.length === 0) throw new RangeError('at least one range');
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const scoped = scopeCondition(source.rangeKey, keys, params);
  const buckets = ranges
    .map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`)
    .join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = oneLine`
    SELECT [bucket], COUNT(*) AS [n], ${HASH_TOTAL}, MIN([k]) AS [min_key], MAX([k]) AS [max_key]
    FROM (
      SELECT CASE ${buckets} END AS [bucket], ${source.rangeKey} AS [k], [x].[rh] AS [h]
      ${source.from}${scoped} AND (${any})
    ) AS [hashed] GROUP BY [bucket]`;
  return { sql, params };
}

/** Every row's own key and row hash in one range, in key order. */
export function buildKeyChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  range: KeyRange,
  keys?: ReadonlyArray<number>,
): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const scoped = scopeCondition(source.rangeKey, keys, params);
  const sql = oneLine`
    SELECT ${source.key} AS [k], CONVERT(varchar(20), [x].[rh]) AS [h]
    ${source.from}${scoped} AND ${rangeCondition(source.rangeKey, range)} ORDER BY ${source.key}`;
  return { sql, params };
}

/**
 * Each partner's checksum in one grouped scan of all of them; orders and invoices are grouped
 * by partner, currency and month and also sum their money there; money as style-2 text. A
 * partner in `scope` counts only the rows of its listed keys (lines by their parent's key):
 * those come from a second branch driven by the (partner, key) pairs, beside the whole partners'.
 */
export function buildPartnerDigestsQuery(
  entity: ArchiveEntity,
  partnerIds: ReadonlyArray<number>,
  watermark: string,
  scope?: ScopedKeys,
): MssqlQuery {
  const params: MssqlParam[] = [];
  const { whole, pairs } = splitByScope(partnerIds, scope);
  if (whole.length === 0 && pairs.keys.length === 0) throw new RangeError('at least one partner id');
  const atWatermark = (column: string) => rowVerAtMost(column, watermark, params);
  const sources = [
    ...(whole.length > 0 ? [partnerRowsSource(entity, atWatermark, true, partnerIdsIn(whole, params))] : []),
    ...(pairs.keys.length > 0 ? [scopedRowsSource(entity, atWatermark, keyPairsTable('scope', pairs, params))] : []),
  ];
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
  const rows = sources
    .map(
      (source) =>
        `SELECT ${source.partner} AS [pid], ${source.rangeKey} AS [k], [x].[rh] AS [h]${groups} ${source.from}`,
    )
    .join(' UNION ALL ');
  const sql = oneLine`
    SELECT ${groupBy}, COUNT(*) AS [n], ${HASH_TOTAL}, MIN([k]) AS [min_key], MAX([k]) AS [max_key]${sums}
    FROM (
      ${rows}
    ) AS [hashed] GROUP BY ${groupBy}`;
  return { sql, params };
}
