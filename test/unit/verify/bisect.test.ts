import { rowHash, type CanonicalRow, type KeyChecksum, type RangeChecksum } from '../../../src/core/canonical';
import { diffRows, splitRange, type ChecksumSide, type KeyRange } from '../../../src/verify';

/** A side backed by an in-memory table: key -> column values; counts the queries it answers. */
function side(rows: Map<number, Record<string, string | null>>, parentOf: (key: number) => number = (key) => key) {
  const calls = { range: 0, keys: 0, rows: 0 };
  const inRange = (key: number, range: KeyRange) =>
    (range.after === undefined || parentOf(key) > range.after) &&
    (range.upTo === undefined || parentOf(key) <= range.upTo);
  const hash = (key: number) => rowHash(JSON.stringify(rows.get(key)));
  const impl: ChecksumSide = {
    async rangeChecksums(ranges) {
      calls.range += 1;
      return ranges.map((range): RangeChecksum => {
        const keys = [...rows.keys()].filter((key) => inRange(key, range));
        const parents = keys.map(parentOf);
        return {
          count: keys.length,
          sum: keys.reduce((sum, key) => sum + BigInt(hash(key)), 0n).toString(),
          minKey: parents.length ? Math.min(...parents) : null,
          maxKey: parents.length ? Math.max(...parents) : null,
        };
      });
    },
    async keyChecksums(range) {
      calls.keys += 1;
      return [...rows.keys()]
        .filter((key) => inRange(key, range))
        .sort((a, b) => a - b)
        .map((key): KeyChecksum => ({ key, hash: hash(key) }));
    },
    async readRows(keys) {
      calls.rows += 1;
      return keys.filter((key) => rows.has(key)).map((key): CanonicalRow => ({ key, values: rows.get(key)! }));
    },
  };
  return { impl, calls };
}

function table(n: number): Map<number, Record<string, string | null>> {
  const rows = new Map<number, Record<string, string | null>>();
  for (let key = 1; key <= n; key += 1) rows.set(key, { amount: `${key}.0000`, name: `row ${key}` });
  return rows;
}

describe('data-diff bisection', () => {
  it('splits a range into non-empty integer sub-ranges covering it exactly', () => {
    expect(splitRange(0, 100, 4)).toEqual([
      { after: 0, upTo: 25 },
      { after: 25, upTo: 50 },
      { after: 50, upTo: 75 },
      { after: 75, upTo: 100 },
    ]);
    expect(splitRange(5, 7, 16)).toEqual([
      { after: 5, upTo: 6 },
      { after: 6, upTo: 7 },
    ]);
  });

  it('costs one aggregate per side when nothing differs', async () => {
    const legacy = side(table(10_000));
    const target = side(table(10_000));
    const diff = await diffRows(legacy.impl, target.impl);
    expect(diff).toMatchObject({ missing: [], extra: [], changed: [], truncated: false, rangeQueries: 1 });
    expect(legacy.calls).toEqual({ range: 1, keys: 0, rows: 0 });
  });

  it('finds every changed, missing and extra key among 10,000 and names changed columns with both values', async () => {
    const legacyRows = table(10_000);
    const targetRows = table(10_000);
    for (const key of [17, 4_321, 9_999]) targetRows.set(key, { ...targetRows.get(key)!, amount: '0.0000' });
    targetRows.delete(5_000);
    targetRows.set(10_500, { amount: '1.0000', name: 'stray' });
    targetRows.set(1, { ...targetRows.get(1)!, name: null });
    const target = side(targetRows);
    const diff = await diffRows(side(legacyRows).impl, target.impl);
    expect(diff.missing).toEqual([5_000]);
    expect(diff.extra).toEqual([10_500]);
    expect(diff.changed).toEqual([
      { key: 1, columns: [{ column: 'name', legacy: 'row 1', target: null }] },
      { key: 17, columns: [{ column: 'amount', legacy: '17.0000', target: '0.0000' }] },
      { key: 4_321, columns: [{ column: 'amount', legacy: '4321.0000', target: '0.0000' }] },
      { key: 9_999, columns: [{ column: 'amount', legacy: '9999.0000', target: '0.0000' }] },
    ]);
    // Bisection, not a scan: a few levels of aggregates and small key lists.
    expect(target.calls.range).toBeLessThanOrEqual(5);
    expect(target.calls.keys).toBeLessThanOrEqual(6);
  });

  it('ranges lines by their parent key and stops, saying so, after the maximum differences', async () => {
    const parentOf = (key: number) => Math.ceil(key / 3);
    const legacyRows = table(3_000);
    const targetRows = new Map([...legacyRows].map(([key, row]) => [key, { ...row, amount: '9' }]));
    const diff = await diffRows(side(legacyRows, parentOf).impl, side(targetRows, parentOf).impl, {
      maxDifferences: 50,
    });
    expect(diff.truncated).toBe(true);
    expect(diff.changed.length).toBeGreaterThanOrEqual(50);
  });
});
