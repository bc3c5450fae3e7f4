import { etaWorkDone } from '../../../pipelines/commands/wave-run';

describe('etaWorkDone (the work a wave has done, as its ETA counts it)', () => {
  const rowsByPartner = new Map([
    [1, 1000],
    [2, 300],
    [3, 50],
    [4, 20],
  ]);
  const states = (...pairs: Array<[number, string]>) =>
    pairs.map(([legacy_partner_id, state]) => ({ legacy_partner_id, state }));

  it('counts a verified partner whole, a loaded one half, one still loading not at all', () => {
    expect(
      etaWorkDone(1200, states([1, 'verified'], [2, 'loaded'], [3, 'loading'], [4, 'planned']), rowsByPartner, true),
    ).toEqual({ rows: 1200 + 1000 + 150, partners: 1.5 });
  });

  it('counts failed, cut-over and done partners as settled', () => {
    expect(etaWorkDone(0, states([1, 'failed'], [2, 'cutover'], [3, 'done']), rowsByPartner, true)).toEqual({
      rows: 1350,
      partners: 3,
    });
  });

  it('without verification, counts rows read only and every finished partner whole', () => {
    expect(etaWorkDone(700, states([1, 'loaded'], [2, 'verified'], [3, 'loading']), rowsByPartner, false)).toEqual({
      rows: 700,
      partners: 2,
    });
  });

  it('takes a partner the plan has no rows for as none', () => {
    expect(etaWorkDone(5, states([9, 'verified']), rowsByPartner, true)).toEqual({ rows: 5, partners: 1 });
  });
});
