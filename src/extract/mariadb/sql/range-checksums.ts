import { toPartnerChecksums, toRangeChecksums, type ArchiveEntity, type KeyChecksum, type RangeChecksum } from '../../../core/canonical';
import type { KeyRange } from '../../source-reader';
import { partnerRowsSource, rangeCondition, rowHashExpression } from './canonical-sql';
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

/** Count, exact hash sum and key span of each partner's rows, in one grouped scan of all of them. */
export function buildPartnerChecksumsQuery(entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string): MariaDbQuery {
  const params: unknown[] = [];
  const source = partnerRowsSource(entity, partnerIds, (column) => rowVerAtMost(column, watermark, params));
  const sql = `SELECT pid, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key FROM (`
    + `SELECT ${source.partner} AS pid, ${source.rangeKey} AS k, ${rowHashExpression(entity)} AS h ${source.from}`
    + ') hashed GROUP BY pid';
  return { sql, params };
}

export async function readPartnerChecksums(
  db: MariaDbQueryable, entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string,
): Promise<Map<number, RangeChecksum>> {
  if (partnerIds.length === 0) return new Map();
  return toPartnerChecksums(await selectRows(db, buildPartnerChecksumsQuery(entity, partnerIds, watermark)));
}
