import { decodeMoneyRows, encodeMoneyRows, type MoneyFact } from '../../../src/load/state/insert-reconciliations';

const fact = (over: Partial<MoneyFact>): MoneyFact => ({
  entity: 'invoice',
  currency: 'EUR',
  month: '2024-01',
  amount: 'net',
  legacy: '12.3400',
  target: '12.3400',
  ...over,
});

describe('money facts as stored in a reconciliation detail', () => {
  it('writes a fact whose sides agree once, and reads every fact back as it was', () => {
    const facts = [fact({}), fact({ amount: 'tax', legacy: '1.0', target: '1.00' }), fact({ legacy: null })];
    expect(encodeMoneyRows(facts)).toBe(
      'invoice|EUR|2024-01|net|12.3400;invoice|EUR|2024-01|tax|1.0|1.00;invoice|EUR|2024-01|net|\\N|12.3400;',
    );
    expect(decodeMoneyRows(encodeMoneyRows(facts))).toEqual(facts);
  });

  it('keeps separators, backslashes and a literal \\N in a value apart from NULL', () => {
    const facts = [
      fact({ currency: 'E|U;R\\', month: '\\N', legacy: null, target: null }),
      fact({ currency: '', legacy: '5', target: null }),
    ];
    expect(decodeMoneyRows(encodeMoneyRows(facts))).toEqual(facts);
  });

  it('reads no facts from an empty text', () => {
    expect(decodeMoneyRows(encodeMoneyRows([]))).toEqual([]);
  });
});
