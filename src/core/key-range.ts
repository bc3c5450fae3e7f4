/**
 * Key ranges, the unit of keyset paging, partitions and the data-diff bisection, and their SQL
 * condition, which every engine and the target write alike (but for how they spell "true").
 */

/** A half-open range of integer keys `(after, upTo]`; an absent bound is open. */
export interface KeyRange {
  after?: number;
  upTo?: number;
}

/** A key bound checked to be a safe integer, for use as an SQL literal. */
export function checkKey(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`key bound must be an integer, got ${value}`);
  return value;
}

/** `column > after AND column <= upTo` with validated integer literals; `always` (the dialect's true) for an open range. */
export function keyRangeCondition(column: string, range: KeyRange, always: string): string {
  const parts: string[] = [];
  if (range.after !== undefined) parts.push(`${column} > ${checkKey(range.after)}`);
  if (range.upTo !== undefined) parts.push(`${column} <= ${checkKey(range.upTo)}`);
  return parts.length === 0 ? always : parts.join(' AND ');
}
