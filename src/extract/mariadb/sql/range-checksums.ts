import { moneyColumns, type ArchiveEntity } from '../../../core/canonical';
import type { KeyRange } from '../../../core/key-range';
import { joinPartnerIds } from '../../../core/partner-ids';
import { splitByScope, type ScopedKeys } from '../../../core/scoped-keys';
import { oneLine } from '../../one-line';
import { quoteName } from '../columns';
import {
  partnerRowsSource,
  rangeCondition,
  rowHashExpression,
  scopedRowsSource,
  trimExpression,
} from './canonical-sql';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

/** ` AND <range key> IN (<keys>)` when a bisection is over a scope's keys only; nothing otherwise. */
function scopeCondition(rangeKey: string, keys: ReadonlyArray<number> | undefined): string {
  return keys === undefined ? '' : ` AND ${rangeKey} IN (${joinPartnerIds(keys, ', ')})`;
}

/**
 * One aggregate per range, computed inside MariaDB: row count, exact sum of the 60-bit row
 * hashes, and the smallest and largest range key present. One scan of the partner's rows
 * answers every range (a CASE picks the range).
 */
export function buildRangeChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  ranges: KeyRange[],
  keys?: ReadonlyArray<number>,
): MariaDbQuery {
  if (ranges.length === 0) throw new RangeError('at least one range');
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, [partnerId], (column) => rowVerAtMost(column, watermark, params));
  const scoped = scopeCondition(source.rangeKey, keys);
  const buckets = ranges
    .map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`)
    .join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = oneLine`
    SELECT bucket, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key
    FROM (
      SELECT CASE ${buckets} END AS bucket, ${source.rangeKey} AS k, ${rowHashExpression(entity)} AS h
      ${source.from}${scoped} AND (${any})
    ) hashed GROUP BY bucket`;
  return { sql, params };
}

/** Every row's own key and row hash in one range, in key order. */
export function buildKeyChecksumsQuery(
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  range: KeyRange,
  keys?: ReadonlyArray<number>,
): MariaDbQuery {
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, [partnerId], (column) => rowVerAtMost(column, watermark, params));
  const scoped = scopeCondition(source.rangeKey, keys);
  const sql = oneLine`
    SELECT ${source.key} AS k, CAST(${rowHashExpression(entity)} AS CHAR) AS h
    ${source.from}${scoped} AND ${rangeCondition(source.rangeKey, range)} ORDER BY ${source.key}`;
  return { sql, params };
}

/**
 * Each partner's checksum in one grouped scan of all of them; orders and invoices are grouped
 * by partner, currency and month and also sum their money there (no second scan for it).
 * Past `eq_range_index_dive_limit` (200) values MariaDB estimates an IN list from index
 * statistics, which can misjudge a chunk holding most of a table; diving for every value gives
 * it the true count, so it scans the lines table where that is cheaper than the partner index.
 * A partner in `scope` counts only the rows of its listed keys (lines by their parent's key),
 * read by a second branch beside the whole partners'.
 */
export function buildPartnerDigestsQuery(
  entity: ArchiveEntity,
  partnerIds: ReadonlyArray<number>,
  watermark: string,
  scope?: ScopedKeys,
): MariaDbQuery {
  const params: unknown[] = [];
  const { whole, pairs } = splitByScope(partnerIds, scope);
  if (whole.length === 0 && pairs.keys.length === 0) throw new RangeError('at least one partner id');
  const atWatermark = (column: string) => rowVerAtMost(column, watermark, params);
  const sources = [
    ...(whole.length > 0 ? [partnerRowsSource(entity, whole, atWatermark)] : []),
    ...(pairs.keys.length > 0 ? [scopedRowsSource(entity, pairs, atWatermark)] : []),
  ];
  const money = moneyColumns(entity);
  const groups = money
    ? `, UPPER(${trimExpression(`t.${quoteName(money.currency.legacy)}`, money.currency.length)}) AS currency` +
      `, LEFT(t.${quoteName(money.date.legacy)}, 7) AS month` +
      money.amounts.map((amount, index) => `, t.${quoteName(amount.legacy)} AS m${index + 1}`).join('')
    : '';
  const sums = money
    ? money.amounts.map((_, index) => `, CAST(SUM(m${index + 1}) AS CHAR) AS a${index + 1}`).join('')
    : '';
  const groupBy = money ? 'pid, currency, month' : 'pid';
  const rows = sources
    .map(
      (source) =>
        `SELECT ${source.partner} AS pid, ${source.rangeKey} AS k, ${rowHashExpression(entity)} AS h${groups} ${source.from}`,
    )
    .join(' UNION ALL ');
  const sql = oneLine`
    SET STATEMENT eq_range_index_dive_limit = 0 FOR
    SELECT ${groupBy}, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key${sums}
    FROM (
      ${rows}
    ) hashed GROUP BY ${groupBy}`;
  return { sql, params };
}
