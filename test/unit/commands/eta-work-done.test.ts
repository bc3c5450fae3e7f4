import { etaWorkDone } from '../../../pipelines/commands/wave-run';

describe('etaWorkDone (the work a wave has done, as its ETA counts it)', () => {
  const rowsByPartner = new Map([
    [1, 1000],
    [2, 300],
    [3, 50],
    [4, 20],
  ]);
  // Every partner loaded in batches: each counts as a partner.
  const plan = { rowsByPartner, batchedPartners: new Set([1, 2, 3, 4]) };
  const states = (...pairs: Array<[number, string]>) =>
    pairs.map(([legacy_partner_id, state]) => ({ legacy_partner_id, state }));

  it('counts a verified partner whole, a loaded one half, one still loading not at all', () => {
    expect(
      etaWorkDone(1200, states([1, 'verified'], [2, 'loaded'], [3, 'loading'], [4, 'planned']), plan, true),
    ).toEqual({ rows: 1200 + 1000 + 150, partners: 1.5 });
  });

  it('counts failed, cut-over and done partners as settled', () => {
    expect(etaWorkDone(0, states([1, 'failed'], [2, 'cutover'], [3, 'done']), plan, true)).toEqual({
      rows: 1350,
      partners: 3,
    });
  });

  it('without verification, counts rows read only and every finished partner whole', () => {
    expect(etaWorkDone(700, states([1, 'loaded'], [2, 'verified'], [3, 'loading']), plan, false)).toEqual({
      rows: 700,
      partners: 2,
    });
  });

  it('takes a partner the plan has no rows for as none', () => {
    // A partner without legacy rows is a small one: batched.
    const withEmpty = { rowsByPartner, batchedPartners: new Set([...plan.batchedPartners, 9]) };
    expect(etaWorkDone(5, states([9, 'verified']), withEmpty, true)).toEqual({ rows: 5, partners: 1 });
  });

  it('counts a partner loaded in partitions by its rows only, not as a partner', () => {
    const partitioned = { rowsByPartner, batchedPartners: new Set([2, 3, 4]) };
    expect(etaWorkDone(1300, states([1, 'verified'], [2, 'verified'], [3, 'loaded']), partitioned, true)).toEqual({
      rows: 1300 + 1000 + 300 + 25,
      partners: 1.5,
    });
    expect(etaWorkDone(1000, states([1, 'loaded']), partitioned, false)).toEqual({ rows: 1000, partners: 0 });
  });
});
