import {
  EMPTY_CHECKSUM,
  sameChecksum,
  toCanonicalRow,
  toRangeChecksums,
} from '../../../../src/core/canonical/checksums';
import { NULL_MARKER } from '../../../../src/core/canonical/row-hash';
import { CANONICAL } from '../../../../src/core/canonical/specs';

describe('range checksums', () => {
  it('places grouped rows by bucket and leaves empty ranges at count 0', () => {
    const rows = [
      { bucket: 2, n: '3', total: '42', min_key: '5', max_key: 9 },
      { bucket: 0, n: 1, total: null },
    ];
    expect(toRangeChecksums(3, rows)).toEqual([
      { count: 1, sum: '0', minKey: null, maxKey: null },
      { count: 0, sum: '0', minKey: null, maxKey: null },
      { count: 3, sum: '42', minKey: 5, maxKey: 9 },
    ]);
  });

  it('agrees on count and sum, whatever the keys spanned', () => {
    const seven = { count: 2, sum: '7', minKey: 1, maxKey: 2 };
    expect(sameChecksum(seven, { count: 2, sum: '7', minKey: null, maxKey: null })).toBe(true);
    expect(sameChecksum(seven, { count: 2, sum: '8', minKey: 1, maxKey: 2 })).toBe(false);
    expect(sameChecksum(seven, { count: 3, sum: '7', minKey: 1, maxKey: 2 })).toBe(false);
    expect(Object.isFrozen(EMPTY_CHECKSUM)).toBe(true);
  });

  it("reads a canonical row by the entity's column order, the NULL marker as null", () => {
    const columns = CANONICAL.invoice_line.columns;
    const row: Record<string, unknown> = { k: '11' };
    columns.forEach((column, index) => {
      row[`c${index}`] = index === 2 ? NULL_MARKER : column.archive;
    });
    const canonical = toCanonicalRow('invoice_line', row);
    expect(canonical.key).toBe(11);
    expect(Object.keys(canonical.values)).toEqual(columns.map((column) => column.archive));
    expect(canonical.values.legacy_order_id).toBeNull();
    expect(canonical.values.description).toBe('description');
  });
});
