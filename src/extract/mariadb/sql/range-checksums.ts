import {
  moneyColumns, toPartnerDigests, toRangeChecksums, type ArchiveEntity, type KeyChecksum, type PartnerDigest, type RangeChecksum,
} from '../../../core/canonical';
import { quoteName } from '../columns';
import type { KeyRange } from '../../source-reader';
import { partnerRowsSource, rangeCondition, rowHashExpression, trimExpression } from './canonical-sql';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/**
 * One aggregate per range, computed inside MariaDB: row count, exact sum of the 60-bit row
 * hashes, and the smallest and largest range key present. One scan of the partner's rows
 * answers every range (a CASE picks the range).
 */
export function buildRangeChecksumsQuery(entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[]): MariaDbQuery {
  if (ranges.length === 0) throw new RangeError('at least one range');
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, [partnerId], (column) => rowVerAtMost(column, watermark, params));
  const buckets = ranges.map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`).join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = `SELECT bucket, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key FROM (`
    + `SELECT CASE ${buckets} END AS bucket, ${source.rangeKey} AS k, ${rowHashExpression(entity)} AS h ${source.from} AND (${any})`
    + `) hashed GROUP BY bucket`;
  return { sql, params };
}

export async function readRangeChecksums(
  db: MariaDbQueryable, entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[],
): Promise<RangeChecksum[]> {
  const rows = await selectRows(db, buildRangeChecksumsQuery(entity, partnerId, watermark, ranges));
  return toRangeChecksums(ranges.length, rows);
}

/** Every row's own key and row hash in one range, in key order. */
export function buildKeyChecksumsQuery(entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): MariaDbQuery {
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, [partnerId], (column) => rowVerAtMost(column, watermark, params));
  const sql = `SELECT ${source.key} AS k, CAST(${rowHashExpression(entity)} AS CHAR) AS h ${source.from}`
    + ` AND ${rangeCondition(source.rangeKey, range)} ORDER BY ${source.key}`;
  return { sql, params };
}

export async function readKeyChecksums(
  db: MariaDbQueryable, entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange,
): Promise<KeyChecksum[]> {
  const rows = await selectRows(db, buildKeyChecksumsQuery(entity, partnerId, watermark, range));
  return rows.map((row) => ({ key: Number(row.k), hash: String(row.h) }));
}

/**
 * Each partner's checksum in one grouped scan of all of them; orders and invoices are grouped
 * by partner, currency and month and also sum their money there (no second scan for it).
 * Past `eq_range_index_dive_limit` (200) values, MariaDB estimates an IN list from index
 * statistics, and for a chunk of partners holding most of a table it estimated half the rows
 * and read every line through the partner index and a primary-key lookup. Diving for every
 * value (a few microseconds each) gives it the true count, and it scans the lines table
 * instead when that is cheaper: 17 % less time for a wave of the whole bench portal, the same
 * plan as before for a chunk holding a small share.
 */
export function buildPartnerDigestsQuery(entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string): MariaDbQuery {
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, partnerIds, (column) => rowVerAtMost(column, watermark, params));
  const money = moneyColumns(entity);
  const groups = money
    ? `, UPPER(${trimExpression(`t.${quoteName(money.currency.legacy)}`, money.currency.length)}) AS currency, LEFT(t.${quoteName(money.date.legacy)}, 7) AS month`
      + money.amounts.map((amount, index) => `, t.${quoteName(amount.legacy)} AS m${index + 1}`).join('')
    : '';
  const sums = money ? money.amounts.map((_, index) => `, CAST(SUM(m${index + 1}) AS CHAR) AS a${index + 1}`).join('') : '';
  const sql = 'SET STATEMENT eq_range_index_dive_limit = 0 FOR '
    + `SELECT pid${money ? ', currency, month' : ''}, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key${sums} FROM (`
    + `SELECT ${source.partner} AS pid, ${source.rangeKey} AS k, ${rowHashExpression(entity)} AS h${groups} ${source.from}`
    + `) hashed GROUP BY pid${money ? ', currency, month' : ''}`;
  return { sql, params };
}

export async function readPartnerDigests(
  db: MariaDbQueryable, entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string,
): Promise<Map<number, PartnerDigest>> {
  if (partnerIds.length === 0) return new Map();
  return toPartnerDigests(entity, await selectRows(db, buildPartnerDigestsQuery(entity, partnerIds, watermark)));
}
