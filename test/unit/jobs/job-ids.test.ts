import { jobIds, runKeyOf } from '../../../pipelines/jobs/payloads';

describe('BullMQ job ids of a run', () => {
  const run = { id: '1', started_at: '2026-11-24T07:45:58.539Z' };

  it('stay the same for the same run (a resume finds its own jobs)', () => {
    expect(runKeyOf(run)).toBe(runKeyOf({ ...run }));
    expect(jobIds.wave(runKeyOf(run))).toBe(`wave_1_${Date.parse(run.started_at)}`);
    expect(jobIds.partner(runKeyOf(run), 7)).toBe(`partner_1_${Date.parse(run.started_at)}_7`);
    expect(jobIds.partition(runKeyOf(run), 7, 'orders', 2)).toBe(`part_1_${Date.parse(run.started_at)}_7_orders_2`);
  });

  it('differ for run 1 of another marketplace database behind the same queue prefix', () => {
    const other = { id: '1', started_at: '2026-11-25T09:00:00.000Z' };
    expect(jobIds.wave(runKeyOf(other))).not.toBe(jobIds.wave(runKeyOf(run)));
    expect(jobIds.partner(runKeyOf(other), 7)).not.toBe(jobIds.partner(runKeyOf(run), 7));
  });

  it('refuses a run without a start time rather than make ids that could collide', () => {
    expect(() => runKeyOf({ id: '3', started_at: 'never' })).toThrow('run 3 has no valid start time');
  });
});
