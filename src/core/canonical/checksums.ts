/**
 * Checksums of key ranges and the rows behind them, as either database returns them: a key
 * range's checksum is (row count, exact sum of the row hashes), with the keys it spans.
 */
import { NULL_MARKER } from './row-hash';
import { CANONICAL, type ArchiveEntity } from './specs';

/** A key range's checksum: row count and the exact sum of row hashes (decimal text), with the keys it spans. */
export interface RangeChecksum {
  count: number;
  sum: string;
  minKey: number | null;
  maxKey: number | null;
}

/** A row's own key and its row hash. */
export interface KeyChecksum {
  key: number;
  hash: string;
}

/** A row's canonical column texts, by archive column name. */
export interface CanonicalRow {
  key: number;
  values: Record<string, string | null>;
}

/**
 * Range checksums from the grouped rows of either database (`bucket`, `n`, `total`, `min_key`,
 * `max_key`); a range no row fell into has count 0.
 */
export function toRangeChecksums(rangeCount: number, rows: ReadonlyArray<Record<string, unknown>>): RangeChecksum[] {
  const result: RangeChecksum[] = Array.from({ length: rangeCount }, () => ({
    count: 0,
    sum: '0',
    minKey: null,
    maxKey: null,
  }));
  for (const row of rows) {
    result[Number(row.bucket)] = {
      count: Number(row.n),
      sum: String(row.total ?? '0'),
      minKey: row.min_key === null || row.min_key === undefined ? null : Number(row.min_key),
      maxKey: row.max_key === null || row.max_key === undefined ? null : Number(row.max_key),
    };
  }
  return result;
}

/** Two checksums agree: same row count and same hash sum. */
export function sameChecksum(a: RangeChecksum, b: RangeChecksum): boolean {
  return a.count === b.count && a.sum === b.sum;
}

/** An empty checksum: what a partner without rows of an entity has. */
export const EMPTY_CHECKSUM: RangeChecksum = Object.freeze({ count: 0, sum: '0', minKey: null, maxKey: null });

/** A canonical row from a selected row of either database (`k`, then `c0`, `c1`, ... in the entity's column order). */
export function toCanonicalRow(entity: ArchiveEntity, row: Record<string, unknown>): CanonicalRow {
  const values: Record<string, string | null> = {};
  CANONICAL[entity].columns.forEach((column, index) => {
    const value = String(row[`c${index}`]);
    values[column.archive] = value === NULL_MARKER ? null : value;
  });
  return { key: Number(row.k), values };
}
