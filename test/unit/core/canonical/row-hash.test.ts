import {
  canonicalText,
  FIELD_SEPARATOR,
  NULL_MARKER,
  rowHash,
  RowHashSum,
} from '../../../../src/core/canonical/row-hash';

describe('canonical text and row hash', () => {
  it('joins column texts with the separator and marks NULL apart from empty text', () => {
    expect(canonicalText(['1', null, ''])).toBe(`1${FIELD_SEPARATOR}${NULL_MARKER}${FIELD_SEPARATOR}`);
    expect(canonicalText(['1', null])).not.toBe(canonicalText(['1', '']));
  });

  it('hashes to the first 15 hex digits of the MD5 of the UTF-8 text, as decimal', () => {
    // md5('abc') = 900150983cd24fb0d6963f7d28e17f72
    expect(rowHash('abc')).toBe(BigInt('0x900150983cd24fb').toString());
    expect(BigInt(rowHash('Zürich')) < 2n ** 60n).toBe(true);
    expect(rowHash('Zürich')).not.toBe(rowHash('Zurich'));
  });

  it('sums row hashes exactly, also past the point where it folds its partial sums', () => {
    const texts = Array.from({ length: 1000 }, (_, index) => `row ${index}\u001fZürich`);
    const sum = new RowHashSum();
    for (const text of texts) sum.add(text);
    expect(sum.count).toBe(1000);
    expect(sum.total()).toBe(texts.reduce((total, text) => total + BigInt(rowHash(text)), 0n).toString());

    // 2^20 + 3 rows of one text: the fold at 2^20 and the rest both count.
    const many = new RowHashSum();
    const rows = (1 << 20) + 3;
    for (let index = 0; index < rows; index += 1) many.add('abc');
    expect(many.total()).toBe((BigInt(rowHash('abc')) * BigInt(rows)).toString());
    expect(new RowHashSum().total()).toBe('0');
  });
});
