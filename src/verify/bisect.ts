import { sameChecksum, type CanonicalRow, type KeyChecksum, type RangeChecksum } from '../core/canonical';
import type { KeyRange } from '../core/key-range';
import type { ColumnDifference } from './model';

export type { KeyRange };

/** One side of a row comparison: everything is computed inside that side's database. */
export interface ChecksumSide {
  rangeChecksums(ranges: KeyRange[]): Promise<RangeChecksum[]>;
  keyChecksums(range: KeyRange): Promise<KeyChecksum[]>;
  readRows(keys: number[]): Promise<CanonicalRow[]>;
}

export interface BisectOptions {
  /** Sub-ranges a differing range is split into. Default 16. */
  fanOut?: number;
  /** A differing range with at most this many rows on either side is compared key by key. Default 64. */
  leafRows?: number;
  /** Stop looking after this many differing keys (the result says it stopped). Default 1000. */
  maxDifferences?: number;
}

export interface ChangedRow {
  key: number;
  columns: ColumnDifference[];
}

/** The data-diff result of one entity of one partner. */
export interface RowDiff {
  legacy: RangeChecksum;
  target: RangeChecksum;
  missing: number[];
  extra: number[];
  changed: ChangedRow[];
  /** True when it stopped at maxDifferences: more keys may differ than are listed. */
  truncated: boolean;
  /** Aggregate queries per side, for the curious. */
  rangeQueries: number;
}

/** Splits `(after, upTo]` into at most `parts` non-empty integer ranges. */
export function splitRange(after: number, upTo: number, parts: number): KeyRange[] {
  const width = upTo - after;
  const count = Math.max(1, Math.min(parts, width));
  const ranges: KeyRange[] = [];
  let start = after;
  for (let i = 1; i <= count; i += 1) {
    const end = i === count ? upTo : after + Math.floor((width * i) / count);
    if (end > start) ranges.push({ after: start, upTo: end });
    start = end;
  }
  return ranges;
}

/** Compares two key-ordered hash lists: keys only on the legacy side, only on the target, and in both with other hashes. */
export function compareKeyChecksums(
  legacy: KeyChecksum[],
  target: KeyChecksum[],
): { missing: number[]; extra: number[]; changed: number[] } {
  const targetByKey = new Map(target.map((row) => [row.key, row.hash]));
  const legacyKeys = new Set<number>();
  const missing: number[] = [];
  const changed: number[] = [];
  for (const row of legacy) {
    legacyKeys.add(row.key);
    const hash = targetByKey.get(row.key);
    if (hash === undefined) missing.push(row.key);
    else if (hash !== row.hash) changed.push(row.key);
  }
  const extra = target.filter((row) => !legacyKeys.has(row.key)).map((row) => row.key);
  return { missing, extra, changed };
}

/** The columns whose canonical texts differ, with both values. */
export function compareCanonicalRows(legacy: CanonicalRow, target: CanonicalRow): ColumnDifference[] {
  return Object.keys(legacy.values)
    .filter((column) => legacy.values[column] !== target.values[column])
    .map((column) => ({ column, legacy: legacy.values[column], target: target.values[column] ?? null }));
}

/**
 * The data-diff method: compare (count, hash sum) of the whole key span on both sides; split
 * each differing range into `fanOut` sub-ranges, compared level by level with one aggregate
 * query per side per level, until a range is small enough to compare key by key; then read
 * both rows of each changed key to name the columns. Equal data costs one query per side.
 */
export async function diffRows(
  legacy: ChecksumSide,
  target: ChecksumSide,
  options: BisectOptions = {},
): Promise<RowDiff> {
  const fanOut = options.fanOut ?? 16;
  const leafRows = options.leafRows ?? 64;
  const maxDifferences = options.maxDifferences ?? 1000;
  const [[legacyAll], [targetAll]] = await Promise.all([legacy.rangeChecksums([{}]), target.rangeChecksums([{}])]);
  const diff: RowDiff = {
    legacy: legacyAll,
    target: targetAll,
    missing: [],
    extra: [],
    changed: [],
    truncated: false,
    rangeQueries: 1,
  };
  let level: Array<{ l: RangeChecksum; t: RangeChecksum }> = sameChecksum(legacyAll, targetAll)
    ? []
    : [{ l: legacyAll, t: targetAll }];
  const changedKeys: number[] = [];
  const found = () => diff.missing.length + diff.extra.length + changedKeys.length;

  while (level.length > 0 && !diff.truncated) {
    const leaves: KeyRange[] = [];
    const splits: KeyRange[] = [];
    for (const { l, t } of level) {
      const keys = [l.minKey, l.maxKey, t.minKey, t.maxKey].filter((key): key is number => key !== null);
      if (keys.length === 0) continue;
      const low = Math.min(...keys);
      const high = Math.max(...keys);
      if (Math.max(l.count, t.count) <= leafRows || high === low) leaves.push({ after: low - 1, upTo: high });
      else splits.push(...splitRange(low - 1, high, fanOut));
    }
    for (const range of leaves) {
      if (found() >= maxDifferences) {
        diff.truncated = true;
        break;
      }
      const [l, t] = await Promise.all([legacy.keyChecksums(range), target.keyChecksums(range)]);
      const compared = compareKeyChecksums(l, t);
      diff.missing.push(...compared.missing);
      diff.extra.push(...compared.extra);
      changedKeys.push(...compared.changed);
    }
    level = [];
    if (splits.length > 0 && !diff.truncated) {
      const [l, t] = await Promise.all([legacy.rangeChecksums(splits), target.rangeChecksums(splits)]);
      diff.rangeQueries += 1;
      splits.forEach((_, index) => {
        if (!sameChecksum(l[index], t[index])) level.push({ l: l[index], t: t[index] });
      });
    }
  }
  if (found() > maxDifferences) diff.truncated = true;
  for (let i = 0; i < changedKeys.length; i += 500) {
    const keys = changedKeys.slice(i, i + 500);
    const [l, t] = await Promise.all([legacy.readRows(keys), target.readRows(keys)]);
    const targetByKey = new Map(t.map((row) => [row.key, row]));
    for (const row of l) {
      const other = targetByKey.get(row.key);
      if (other) diff.changed.push({ key: row.key, columns: compareCanonicalRows(row, other) });
    }
  }
  diff.missing.sort((a, b) => a - b);
  diff.extra.sort((a, b) => a - b);
  diff.changed.sort((a, b) => a.key - b.key);
  return diff;
}
