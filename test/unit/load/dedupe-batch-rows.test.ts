import { dedupeBatchRows } from '../../../src/load/copy/dedupe-batch-rows';

describe('dedupeBatchRows', () => {
  it('returns the same array when keys are unique', () => {
    const rows = [{ id: 1 }, { id: 2 }];
    expect(dedupeBatchRows(rows, ['id'])).toBe(rows);
  });

  it('keeps the last row of a key, at its first position', () => {
    expect(
      dedupeBatchRows(
        [
          { id: 1, v: 'a' },
          { id: 2, v: 'b' },
          { id: 1, v: 'c' },
        ],
        ['id'],
      ),
    ).toEqual([
      { id: 1, v: 'c' },
      { id: 2, v: 'b' },
    ]);
  });

  it('handles composite keys and a preference', () => {
    const rows = [
      { a: 1, b: 'x', n: 5 },
      { a: 1, b: 'y', n: 1 },
      { a: 1, b: 'x', n: 3 },
      { a: 1, b: 'x', n: 4 },
    ];
    expect(dedupeBatchRows(rows, ['a', 'b'], (kept, candidate) => candidate.n <= kept.n)).toEqual([
      { a: 1, b: 'x', n: 3 },
      { a: 1, b: 'y', n: 1 },
    ]);
  });
});
