/** Rows grouped by a numeric key (a partner id, a parent key), each group in the rows' order. */
export function groupBy<T>(rows: ReadonlyArray<T>, keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
