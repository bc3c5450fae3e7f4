import { EtaEstimator } from '../../../src/core/eta';

/** A wave whose every row costs `perRow` ms and every partner `perPartner` ms, big partners first. */
function simulate(perRow: number, perPartner: number, partners: { rows: number; partner: boolean }[]) {
  const eta = new EtaEstimator();
  let atMs = 0;
  let rows = 0;
  let done = 0;
  const totals = {
    rows: partners.reduce((sum, p) => sum + p.rows, 0),
    partners: partners.filter((p) => p.partner).length,
  };
  const estimates: { atMs: number; remainingMs: number | undefined }[] = [];
  eta.add({ atMs, rows, partners: done });
  for (const partner of partners) {
    atMs += partner.rows * perRow + (partner.partner ? perPartner : 0);
    rows += partner.rows;
    if (partner.partner) done += 1;
    eta.add({ atMs, rows, partners: done });
    estimates.push({ atMs, remainingMs: eta.remainingMs(totals) });
  }
  return { estimates, totalMs: atMs };
}

/** Big partners' partitions (20,000 rows, no partner settled) interleaved with the tail, as planWaveFlow orders them. */
function interleaved(big: number[], tail: number[]): { rows: number; partner: boolean }[] {
  const partitions = big.flatMap((rows) => {
    const count = Math.ceil(rows / 20_000);
    return Array.from({ length: count }, (_, i) => ({
      rows: i < count - 1 ? 20_000 : rows - 20_000 * i,
      partner: i === count - 1,
    }));
  });
  const small = tail.map((rows) => ({ rows, partner: true }));
  const result: { rows: number; partner: boolean }[] = [];
  let [i, j] = [0, 0];
  while (i < partitions.length || j < small.length) {
    if (j >= small.length || (i < partitions.length && i / partitions.length <= j / small.length)) {
      result.push(partitions[i++]);
    } else result.push(small[j++]);
  }
  return result;
}

describe('EtaEstimator', () => {
  const longTail = interleaved(
    Array.from({ length: 10 }, () => 70_000),
    Array.from({ length: 4000 }, (_, i) => 50 + (i % 400)),
  );
  const bigFirst = [
    ...Array.from({ length: 10 }, () => ({ rows: 70_000, partner: true })),
    ...Array.from({ length: 4000 }, (_, i) => ({ rows: 50 + (i % 400), partner: true })),
  ];

  it('is within 25 % from the 20 % mark on when a long tail pays a cost per partner', () => {
    const { estimates, totalMs } = simulate(0.06, 20, longTail);
    const checked = estimates.filter((e) => e.atMs >= 0.2 * totalMs && e.atMs <= 0.95 * totalMs);
    expect(checked.length).toBeGreaterThan(100);
    for (const { atMs, remainingMs } of checked) {
      const actual = totalMs - atMs;
      expect(Math.abs((remainingMs ?? 0) - actual) / actual).toBeLessThan(0.25);
    }
  });

  it('a rate of rows alone is far off when the big partners run first', () => {
    const { estimates, totalMs } = simulate(0.06, 20, bigFirst);
    const at20 = estimates.find((e) => e.atMs >= 0.2 * totalMs)!;
    // What a rows-only ETA says at that point: rows left at the average rows rate so far.
    const index = estimates.indexOf(at20);
    const rowsDone = bigFirst.slice(0, index + 1).reduce((sum, p) => sum + p.rows, 0);
    const rowsTotal = bigFirst.reduce((sum, p) => sum + p.rows, 0);
    const rowsOnly = ((rowsTotal - rowsDone) * at20.atMs) / rowsDone;
    expect(rowsOnly / (totalMs - at20.atMs)).toBeLessThan(0.5);
  });

  it('falls back to one cost when rows and partners move in step, and knows nothing before work moves', () => {
    const eta = new EtaEstimator();
    expect(eta.remainingMs({ rows: 100, partners: 10 })).toBeUndefined();
    eta.add({ atMs: 0, rows: 0, partners: 0 });
    expect(eta.remainingMs({ rows: 100, partners: 10 })).toBeUndefined();
    for (let i = 1; i <= 5; i++) eta.add({ atMs: i * 1000, rows: i * 10, partners: i });
    expect(eta.remainingMs({ rows: 100, partners: 10 })).toBe(5000);
  });

  it('is not fooled by a slow start: the rate of the work since then counts', () => {
    const eta = new EtaEstimator();
    eta.add({ atMs: 0, rows: 0, partners: 0 });
    // 5 s of planning, then 1,000 rows and 10 partners a second.
    for (let s = 5; s <= 20; s++) eta.add({ atMs: s * 1000, rows: (s - 5) * 1000, partners: (s - 5) * 10 });
    expect(eta.remainingMs({ rows: 25_000, partners: 250 })).toBeGreaterThan(9000);
    expect(eta.remainingMs({ rows: 25_000, partners: 250 })).toBeLessThan(11_000);
    expect(eta.remainingMs({ rows: 25_000, partners: 250 }, 2000)).toBeGreaterThan(11_000);
  });

  it('keeps its memory bounded over a long run', () => {
    const eta = new EtaEstimator();
    for (let i = 0; i <= 100_000; i++) eta.add({ atMs: i * 10, rows: i * 5, partners: Math.floor(i / 100) });
    expect(eta.remainingMs({ rows: 1_000_000, partners: 2000 })).toBeCloseTo(1_000_000, -3);
    expect((eta as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(512);
  });
});
