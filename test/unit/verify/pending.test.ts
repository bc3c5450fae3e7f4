import { checkResult, settlePending, type Discrepancy } from '../../../src/verify';

const base = { check: 'completeness' as const, entity: 'customer', partnerId: 3, expected: '2', actual: '3' };
const extra = (legacyKey: string | null, entity = 'customer'): Discrepancy => ({
  check: 'completeness',
  entity,
  partnerId: 3,
  legacyKey,
  kind: legacyKey === null ? 'count' : 'extra',
  detail: 'in the target only',
});

describe('settlePending', () => {
  it('passes a check whose every discrepancy a pending row explains, listing those rows', () => {
    const pending = [{ entity: 'customer', partnerId: 3, legacyKey: '17' }];
    const settled = settlePending(checkResult(base, [extra('17'), extra(null)]), pending);
    expect(settled).toMatchObject({ passed: true, discrepancies: [], discrepanciesTotal: 0, pending });
  });

  it('keeps the discrepancies no pending row explains, and the check failing', () => {
    const settled = settlePending(checkResult(base, [extra('17'), extra('18')]), [
      { entity: 'customer', partnerId: 3, legacyKey: '17' },
    ]);
    expect(settled.passed).toBe(false);
    expect(settled.discrepancies.map((d) => d.legacyKey)).toEqual(['18']);
    expect(settled.discrepanciesTotal).toBe(1);
  });

  it('leaves a check alone when nothing is pending, or another entity is, or not every discrepancy was listed', () => {
    const failing = checkResult(base, [extra('17')]);
    expect(settlePending(failing, undefined)).toBe(failing);
    expect(settlePending(failing, [{ entity: 'user', partnerId: 3, legacyKey: '17' }])).toBe(failing);
    const capped = { ...failing, discrepanciesTotal: 250 };
    expect(settlePending(capped, [{ entity: 'customer', partnerId: 3, legacyKey: '17' }])).toBe(capped);
  });
});
