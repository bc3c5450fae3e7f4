import type { FlowJob } from 'bullmq';
import type { PartnerRowCounts, SourceReader } from '../../../src/extract/source-reader';
import { planWaveFlow, type FlowPlanInput } from '../../../pipelines/jobs/wave-flow';

/** Row counts of a partner of `rows` legacy rows (all orders but its own row). */
const countsOf = (rows: number): PartnerRowCounts => ({
  partner: 1,
  user: 0,
  customer: 0,
  order: rows - 1,
  order_line: 0,
  invoice: 0,
  invoice_line: 0,
});

/** The two questions planning asks the legacy database, answered from a table of partner sizes. */
function sizedSource(rows: ReadonlyMap<number, number>): SourceReader {
  return {
    countRowsByPartner: async (ids: number[]) => new Map(ids.map((id) => [id, countsOf(rows.get(id)!)])),
    partitionBounds: async () => [],
  } as unknown as SourceReader;
}

const input = (partnerIds: number[], extra: Partial<FlowPlanInput>): FlowPlanInput => ({
  runId: '1',
  runKey: 'r1',
  waveId: 1,
  waveName: 'w',
  watermark: '100',
  partnerIds,
  partitionSize: 1000,
  batchPartners: 200,
  ...extra,
});

const batchesOf = (flow: FlowJob): number[][] =>
  (flow.children ?? [])
    .filter((job) => job.name === 'batch')
    .map((job) => (job.data as { partnerIds: number[] }).partnerIds);

describe('planWaveFlow', () => {
  const ids = Array.from({ length: 10 }, (_, i) => i + 1);
  const rows = new Map(ids.map((id) => [id, id === 10 ? 1500 : 250]));

  it('packs small partners (at most PARTITION_SIZE rows) up to the batch row budget, and gives a big one partitions', async () => {
    const plan = await planWaveFlow(sizedSource(rows), input(ids, { batchRows: 500 }));
    expect(batchesOf(plan.flow)).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9]]);
    expect([...plan.batchedPartners].sort((a, b) => a - b)).toEqual(ids.slice(0, 9));
    expect(plan.expectedRows).toBe(9 * 250 + 1500);
  });

  it('packs more rows per batch than PARTITION_SIZE when the budget allows, and as many as PARTITION_SIZE by default', async () => {
    const wide = await planWaveFlow(sizedSource(rows), input(ids, { batchRows: 2000 }));
    expect(batchesOf(wide.flow)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [9]]);
    const byDefault = await planWaveFlow(sizedSource(rows), input(ids, {}));
    expect(batchesOf(byDefault.flow)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });

  it('still stops a batch at BATCH_PARTNERS partners', async () => {
    const plan = await planWaveFlow(sizedSource(rows), input(ids, { batchRows: 100_000, batchPartners: 3 }));
    expect(batchesOf(plan.flow)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
  });
});
