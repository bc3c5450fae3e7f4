import { trimWhitespace, TRIM_WHITESPACE } from '../../../../src/core/canonical/trim';
import { trimText, optionalText } from '../../../../src/transform';

describe('canonical trim', () => {
  it.each([
    ['  a b  ', 'a b'],
    ['\t\r\n\f\va\v', 'a'],
    ['\u00a0x\u00a0', '\u00a0x\u00a0'],
    ['\u0007x', '\u0007x'],
    ['   ', ''],
    ['', ''],
    ['x', 'x'],
  ])('trims exactly the defined white space: %j', (input, expected) => {
    expect(trimWhitespace(input)).toBe(expected);
    expect(trimText(input)).toBe(expected);
  });

  it('has the transform trim the same set, so the archive stores the canonical text', () => {
    expect(TRIM_WHITESPACE).toEqual([' ', '\t', '\n', '\r', '\f', '\v']);
    expect(optionalText(' \t ')).toBeNull();
    expect(optionalText('\u00a0')).toBe('\u00a0');
  });
});
