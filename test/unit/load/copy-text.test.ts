import { ContractViolationError } from '../../../src/core/errors';
import {
  arrayLiteral,
  encodeCopyLine,
  encodeCopyLines,
  encodeCopyValue,
  escapeCopyText,
} from '../../../src/load/copy/copy-text';

describe('COPY text encoding', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a\tb', 'a\\tb'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['C:\\dir', 'C:\\\\dir'],
    ['\\N', '\\\\N'],
    ['👩‍💻 株式会社', '👩‍💻 株式会社'],
    ['"quoted", {x}', '"quoted", {x}'],
  ])('escapes %j as %j', (value, expected) => {
    expect(escapeCopyText(value)).toBe(expected);
  });

  it('writes NULL as \\N and keeps the empty string apart', () => {
    expect(encodeCopyValue(null, 'text')).toBe('\\N');
    expect(encodeCopyValue(undefined, 'int')).toBe('\\N');
    expect(encodeCopyValue('', 'text')).toBe('');
    expect(encodeCopyValue('NULL', 'text')).toBe('NULL');
  });

  it('encodes numbers, exact decimals, bigints, booleans and dates', () => {
    expect(encodeCopyValue(42, 'int')).toBe('42');
    expect(encodeCopyValue(-0.5, 'numeric')).toBe('-0.5');
    expect(encodeCopyValue('12345678901234.5678', 'numeric')).toBe('12345678901234.5678');
    expect(encodeCopyValue('18446744073709551615', 'bigint')).toBe('18446744073709551615');
    expect(encodeCopyValue(9007199254740993n, 'bigint')).toBe('9007199254740993');
    expect(encodeCopyValue(true, 'boolean')).toBe('t');
    expect(encodeCopyValue(false, 'boolean')).toBe('f');
    expect(encodeCopyValue(new Date('2024-02-29T10:00:00.123Z'), 'timestamptz')).toBe('2024-02-29T10:00:00.123Z');
    expect(encodeCopyValue('2024-02-29', 'date')).toBe('2024-02-29');
  });

  it('refuses values COPY would misread', () => {
    expect(() => encodeCopyValue(Number.NaN, 'int')).toThrow(ContractViolationError);
    expect(() => encodeCopyValue(Infinity, 'numeric')).toThrow(ContractViolationError);
    expect(() => encodeCopyValue({ a: 1 }, 'text')).toThrow(ContractViolationError);
    expect(() => encodeCopyValue(['a'], 'text')).toThrow(ContractViolationError);
  });

  it('writes text[] as a quoted array literal, escaped for COPY', () => {
    expect(arrayLiteral(['CHF', 'EUR'])).toBe('{"CHF","EUR"}');
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a,b', 'c"d', 'e\\f', null])).toBe('{"a,b","c\\"d","e\\\\f",NULL}');
    expect(encodeCopyValue(['c"d', 'x\ty'], 'text[]')).toBe('{"c\\\\"d","x\\ty"}');
  });

  it('encodes a row in column order, tab-separated, newline-terminated', () => {
    const columns = [
      { name: 'id', type: 'int' },
      { name: 'name', type: 'text' },
      { name: 'ok', type: 'boolean' },
      { name: 'note', type: 'text' },
    ] as const;
    expect(encodeCopyLine({ note: 'a\tb', ok: true, name: 'x', id: 1 }, columns)).toBe('1\tx\tt\ta\\tb\n');
    expect(
      encodeCopyLines(
        [
          { id: 1, name: null, ok: false },
          { id: 2, name: '', ok: true },
        ],
        columns,
      ),
    ).toEqual(['1\t\\N\tf\t\\N\n', '2\t\tt\t\\N\n']);
  });
});
