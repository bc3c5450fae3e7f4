/**
 * Rows of one batch with one row per conflict key, because one INSERT ... ON CONFLICT DO UPDATE
 * cannot touch a row twice. The last row of a key wins, except where `prefer` says otherwise
 * (users: the lowest legacy user id). Order of first appearance is kept.
 */
export function dedupeBatchRows<Row extends object>(
  rows: ReadonlyArray<Row>,
  conflict: ReadonlyArray<string>,
  prefer?: (kept: Row, candidate: Row) => boolean,
): Row[] {
  const byKey = new Map<unknown, Row>();
  const single = conflict.length === 1 ? conflict[0]! : undefined;
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    const key = single !== undefined ? record[single] : JSON.stringify(conflict.map((column) => record[column]));
    const kept = byKey.get(key);
    if (kept === undefined || (prefer ? prefer(kept, row) : true)) byKey.set(key, row);
  }
  return byKey.size === rows.length ? (rows as Row[]) : [...byKey.values()];
}
