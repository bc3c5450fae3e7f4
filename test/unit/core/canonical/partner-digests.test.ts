import { toPartnerDigests } from '../../../../src/core/canonical/partner-digests';

describe('toPartnerDigests', () => {
  it("sums each partner's groups exactly (past 2^64), spans their keys and keeps money per (currency, month)", () => {
    const big = '1152921504606846975'; // 2^60 - 1, the largest row hash
    const rows = [
      {
        pid: 7,
        currency: 'CHF',
        month: '2024-01',
        n: 2,
        total: big,
        min_key: 10,
        max_key: 12,
        a1: '1.5000',
        a2: '0.1000',
        a3: '1.6000',
      },
      {
        pid: 3,
        currency: 'EUR',
        month: '2024-02',
        n: 1,
        total: '5',
        min_key: 4,
        max_key: 4,
        a1: '2.0000',
        a2: null,
        a3: '2.0000',
      },
      {
        pid: 7,
        currency: 'EUR',
        month: '2023-12',
        n: 30,
        total: big,
        min_key: 2,
        max_key: 11,
        a1: '-3.0000',
        a2: '0.0000',
        a3: '-3.0000',
      },
      ...Array.from({ length: 16 }, () => ({
        pid: 7,
        currency: 'CHF',
        month: '2024-03',
        n: 1,
        total: big,
        min_key: null,
        max_key: null,
        a1: '0',
        a2: '0',
        a3: '0',
      })),
    ];
    const digests = toPartnerDigests('invoice', rows);
    expect([...digests.keys()]).toEqual([7, 3]);
    expect(digests.get(7)!.checksum).toEqual({
      count: 48,
      sum: (18n * (2n ** 60n - 1n)).toString(),
      minKey: 2,
      maxKey: 12,
    });
    expect(digests.get(3)!.checksum).toEqual({ count: 1, sum: '5', minKey: 4, maxKey: 4 });
    expect(digests.get(7)!.money[1]).toEqual({
      entity: 'invoice',
      currency: 'EUR',
      month: '2023-12',
      count: 30,
      amounts: { net: '-3.0000', tax: '0.0000', gross: '-3.0000' },
    });
    expect(digests.get(3)!.money).toEqual([
      {
        entity: 'invoice',
        currency: 'EUR',
        month: '2024-02',
        count: 1,
        amounts: { net: '2.0000', tax: '0', gross: '2.0000' },
      },
    ]);
  });

  it('gives lines a checksum only, and nothing for no rows', () => {
    expect(toPartnerDigests('order_line', [{ pid: 1, n: 3, total: '42', min_key: 5, max_key: 9 }]).get(1)).toEqual({
      checksum: { count: 3, sum: '42', minKey: 5, maxKey: 9 },
      money: [],
    });
    expect(toPartnerDigests('order', []).size).toBe(0);
  });
});
