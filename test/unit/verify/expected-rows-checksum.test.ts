import { expectedRowsChecksum } from '../../../src/verify';
import { canonicalText, rowHash } from '../../../src/core/canonical';

describe('checksum of the rows the mapping expects', () => {
  it('is the count and exact sum of the row hashes of the compared columns, NULL as the marker, in column order', () => {
    const rows = [
      { id: 'a', n: 1, flag: true, day: '2024-02-29', note: null },
      { id: 'b', n: 22, flag: false, day: '2024-03-01', note: 'x' },
    ];
    const columns = ['id', 'n', 'flag', 'day', 'note'] as const;
    const sum =
      BigInt(rowHash(canonicalText(['a', '1', 'true', '2024-02-29', null]))) +
      BigInt(rowHash(canonicalText(['b', '22', 'false', '2024-03-01', 'x'])));
    expect(expectedRowsChecksum(rows, columns)).toEqual({ count: 2, sum: sum.toString(), minKey: null, maxKey: null });
    expect(expectedRowsChecksum(rows, ['n', 'id'])).not.toEqual(expectedRowsChecksum(rows, ['id', 'n']));
    expect(expectedRowsChecksum([], columns)).toEqual({ count: 0, sum: '0', minKey: null, maxKey: null });
  });
});
