import { chunkPartners } from '../../../pipelines/commands/verify-wave';
import { expectedRowsChecksum } from '../../../src/verify';
import { canonicalText, rowHash } from '../../../src/core/canonical';

describe('chunks of partners for verification', () => {
  it('keeps partners in order, fills chunks up to the row budget and never splits a partner', () => {
    const sizes = new Map([[1, 30], [2, 30], [3, 50], [4, 200], [5, 10]]);
    expect(chunkPartners([1, 2, 3, 4, 5, 6], sizes, 60)).toEqual([[1, 2], [3], [4], [5, 6]]);
    expect(chunkPartners([1, 2, 3], sizes, 1000)).toEqual([[1, 2, 3]]);
    expect(chunkPartners([], sizes, 10)).toEqual([]);
    // Partners with nothing archived cost nothing: they ride along.
    expect(chunkPartners([7, 8, 9], sizes, 1)).toEqual([[7, 8, 9]]);
  });
});

describe('checksum of the rows the mapping expects', () => {
  it('is the count and exact sum of the row hashes of the compared columns, NULL as the marker, in column order', () => {
    const rows = [{ id: 'a', n: 1, flag: true, day: '2024-02-29', note: null }, { id: 'b', n: 22, flag: false, day: '2024-03-01', note: 'x' }];
    const columns = ['id', 'n', 'flag', 'day', 'note'] as const;
    const sum = BigInt(rowHash(canonicalText(['a', '1', 'true', '2024-02-29', null]))) + BigInt(rowHash(canonicalText(['b', '22', 'false', '2024-03-01', 'x'])));
    expect(expectedRowsChecksum(rows, columns)).toEqual({ count: 2, sum: sum.toString(), minKey: null, maxKey: null });
    expect(expectedRowsChecksum(rows, ['n', 'id'])).not.toEqual(expectedRowsChecksum(rows, ['id', 'n']));
    expect(expectedRowsChecksum([], columns)).toEqual({ count: 0, sum: '0', minKey: null, maxKey: null });
  });
});
