import { decimalTextEquals, DecimalTotal } from '../../../src/core/decimal';
import { addDecimals, decimalEquals, formatDecimal, multiplyDecimal, parseDecimal } from '../../../src/transform';

const d = (text: string) => parseDecimal(text)!;

describe('money', () => {
  it.each([
    ['12.3400', 123400n, 4],
    ['-0.0100', -100n, 4],
    ['7', 7n, 0],
    ['922337203685477.5807', 9223372036854775807n, 4],
  ])('parses %j exactly', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  it.each([['abc'], ['1.2.3'], [''], ['1e5'], ['12,50']])('rejects %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });

  it.each([
    ['1.5', '1.5000', true],
    ['0.1000', '0.1', true],
    ['-0.0000', '0', true],
    ['10.0000', '9.9999', false],
    ['922337203685477.5807', '922337203685477.5806', false],
  ])('%j equals %j: %j', (a, b, equal) => {
    expect(decimalEquals(d(a), d(b))).toBe(equal);
  });

  it('adds and multiplies without floating-point error', () => {
    expect(formatDecimal(addDecimals(d('0.1000'), d('0.2000')))).toBe('0.3000');
    expect(decimalEquals(addDecimals(d('0.1'), d('0.2')), d('0.3'))).toBe(true);
    expect(formatDecimal(multiplyDecimal(d('3.3333'), 3))).toBe('9.9999');
    expect(formatDecimal(multiplyDecimal(d('-1.0500'), 2))).toBe('-2.1000');
    expect(formatDecimal(d('-0.0500'))).toBe('-0.0500');
    expect(formatDecimal(d('7'))).toBe('7');
  });

  it('compares and totals decimals written as text, as verification reads them from both databases', () => {
    expect(decimalTextEquals('12.30', '12.3000')).toBe(true);
    expect(decimalTextEquals('-0.0100', '-0.01')).toBe(true);
    expect(decimalTextEquals('12.3001', '12.3000')).toBe(false);
    expect(decimalTextEquals(null, null)).toBe(true);
    expect(decimalTextEquals(null, '0')).toBe(false);
    expect(decimalTextEquals('0', null)).toBe(false);
    expect(decimalTextEquals('123456789012345.6789', '123456789012345.6789')).toBe(true);
    expect(() => decimalTextEquals('12,30', '12.30')).toThrow('not a decimal');
    expect(new DecimalTotal().add('0.1').add('0.2000').add('-1.05').toString()).toBe('-0.7500');
    expect(new DecimalTotal().toString()).toBe('0');
    const net = new DecimalTotal().add('9007199254740991.5').add('0.75');
    expect(new DecimalTotal().add('-1.0001').addTotal(net).addTotal(new DecimalTotal()).toString()).toBe(
      '9007199254740991.2499',
    );
  });
});
