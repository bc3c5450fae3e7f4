import type { KeyRange } from '../core/key-range';
import type { Page } from './source-reader';

/** Reads up to `limit` rows with keys in `range`, in key order. */
export type ReadKeyedPage<Row> = (range: KeyRange, limit: number) => Promise<Row[]>;
/** Reads every line whose parent key is in `range`. */
export type ReadLines<Line> = (range: KeyRange) => Promise<Line[]>;

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
}

/** Keyset pages over `range`: each page resumes strictly after the previous page's last key. */
export async function* keysetPages<Row>(
  readPage: ReadKeyedPage<Row>,
  keyOf: (row: Row) => number,
  range: KeyRange | undefined,
  batchSize: number,
): AsyncGenerator<Page<Row>> {
  checkBatchSize(batchSize);
  let after = range?.after;
  for (;;) {
    const rows = await readPage({ after, upTo: range?.upTo }, batchSize);
    if (rows.length === 0) return;
    const cursor = keyOf(rows[rows.length - 1]);
    yield { rows, cursor };
    if (rows.length < batchSize) return;
    after = cursor;
  }
}

/**
 * Where a page's lines end: at the page's last parent key while pages are full, and at the
 * range's end on the last page, so lines whose parent lies beyond the watermark are not lost.
 */
export function linesUpTo(
  pageLength: number,
  batchSize: number,
  lastKey: number | undefined,
  range: KeyRange | undefined,
): number | undefined {
  return pageLength === batchSize ? lastKey : range?.upTo;
}

/** Keyset pages of parents, each with the lines of its key interval `(previous cursor, cursor]`. */
export async function* keysetPagesWithLines<Row, Line>(
  readPage: ReadKeyedPage<Row>,
  keyOf: (row: Row) => number,
  readLines: ReadLines<Line>,
  parentKeyOf: (line: Line) => number,
  range: KeyRange | undefined,
  batchSize: number,
): AsyncGenerator<Page<Row> & { lines: Line[] }> {
  checkBatchSize(batchSize);
  let after = range?.after;
  for (;;) {
    const rows = await readPage({ after, upTo: range?.upTo }, batchSize);
    const lastKey = rows.length > 0 ? keyOf(rows[rows.length - 1]) : undefined;
    const upTo = linesUpTo(rows.length, batchSize, lastKey, range);
    const lines = await readLines({ after, upTo });
    if (rows.length === 0 && lines.length === 0) return;
    const lastLineParent = lines.length > 0 ? parentKeyOf(lines[lines.length - 1]) : undefined;
    const cursor = upTo ?? Math.max(lastKey ?? -Infinity, lastLineParent ?? -Infinity);
    yield { rows, cursor, lines };
    if (rows.length < batchSize) return;
    after = cursor;
  }
}
