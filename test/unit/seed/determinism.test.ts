import { generateLegacyPortal, planSeed } from '../../../src/seed';

function serialise(options: Parameters<typeof generateLegacyPortal>[0]): string {
  const parts: string[] = [];
  for (const chunk of generateLegacyPortal(options)) parts.push(JSON.stringify(chunk));
  return parts.join('\n');
}

describe('generateLegacyPortal determinism', () => {
  it('yields identical rows, byte for byte, for the same options', () => {
    const options = { partners: 30, seed: 42 };
    expect(serialise(options)).toBe(serialise(options));
  });

  it('yields different rows for a different seed', () => {
    expect(serialise({ partners: 30, seed: 42 })).not.toBe(serialise({ partners: 30, seed: 43 }));
  });

  it('plans the same portal for the same options, and exactly the counts it generates for partners, users, customers and orders', () => {
    const options = { partners: 40, seed: 7 };
    const plan = planSeed(options);
    expect(planSeed(options)).toEqual(plan);
    const counts: Record<string, number> = {};
    for (const chunk of generateLegacyPortal(options))
      counts[chunk.table] = (counts[chunk.table] ?? 0) + chunk.rows.length;
    for (const table of ['Partners', 'PartnerUsers', 'Customers', 'Orders'] as const)
      expect(counts[table]).toBe(plan.perTable[table]);
    const total = Object.values(counts).reduce((sum, rows) => sum + rows, 0);
    expect(Math.abs(total - plan.estimatedRows) / plan.estimatedRows).toBeLessThan(0.15);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateLegacyPortal({ partners: 0, seed: 1 }).next()).toThrow(RangeError);
    expect(() => planSeed({ partners: 10, seed: Number.NaN })).toThrow(RangeError);
    expect(() => planSeed({ partners: 10, seed: 1, targetRows: -5 })).toThrow(RangeError);
  });
});
