import type { FlowJob } from 'bullmq';
import type { PartnerRowCounts, SourceReader } from '../../src/extract/source-reader';
import { JOB_NAMES, WAVE_QUEUE, jobIds, type PartitionJobData, type PartitionKind } from './payloads';
import { JOB_ATTEMPTS } from './worker';

/** Completed jobs leave Redis at once (their outcome lives in PostgreSQL); failed ones stay a week for inspection. */
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;
const RETRY = { attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } } as const;

export interface FlowPlanInput {
  runId: string;
  /** runKeyOf the run: what its job ids are made of. */
  runKey: string;
  waveId: number;
  waveName: string;
  watermark: string;
  partnerIds: number[];
  /** Orders (or invoices) per partition job. */
  partitionSize: number;
  /** Verify each partner after loading it. Default true. */
  verify?: boolean;
}

export interface FlowPlan {
  flow: FlowJob;
  /** Legacy rows the run will read, for progress and ETA. */
  expectedRows: number;
  partitionJobs: number;
}

function ranges(bounds: number[]): { after?: number; upTo?: number }[] {
  const result: { after?: number; upTo?: number }[] = [];
  let after: number | undefined;
  for (const bound of bounds) {
    result.push({ after, upTo: bound });
    after = bound;
  }
  result.push({ after });
  return result;
}

/**
 * The BullMQ flow of one wave run: the wave job waits for one job per partner, which waits for
 * its partition jobs (the partner core, and key ranges of orders and invoices for big partners).
 * A failed partition fails its partner; a failed partner is an ignored dependency of the wave.
 */
export async function planWaveFlow(source: SourceReader, input: FlowPlanInput): Promise<FlowPlan> {
  const common = { runId: input.runId, waveId: input.waveId, waveName: input.waveName, watermark: input.watermark };
  let expectedRows = 0;
  let partitionJobs = 0;
  const partnerNodes: FlowJob[] = [];
  const countsById = await source.countRowsByPartner(input.partnerIds, input.watermark);
  const sized = input.partnerIds.map((partnerId) => ({ partnerId, counts: countsById.get(partnerId)! }));
  const rowsOf = (counts: PartnerRowCounts) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  // Largest partners first: their partitions start at once and the small ones fill in around
  // them, instead of one big partner running alone at the end of the wave.
  const bySize = [...sized].sort((a, b) => rowsOf(b.counts) - rowsOf(a.counts) || a.partnerId - b.partnerId);
  const priorityOf = new Map(bySize.map((entry, rank) => [entry.partnerId, Math.min(2 + rank, 2_000_000)]));
  for (const { partnerId, counts } of sized) {
    expectedRows += Object.values(counts).reduce((sum, n) => sum + n, 0);
    const children: FlowJob[] = [];
    const partition = (kind: PartitionKind, index: number, range: { after?: number; upTo?: number }): FlowJob => {
      const data: PartitionJobData = { ...common, partnerId, kind, partition: { index, ...range } };
      return {
        name: JOB_NAMES.partition,
        queueName: WAVE_QUEUE,
        data,
        opts: {
          jobId: jobIds.partition(input.runKey, partnerId, kind, index),
          priority: 1,
          failParentOnFailure: true,
          ...RETRY,
          ...RETENTION,
        },
      };
    };
    const whole = rowsOf(counts) <= input.partitionSize;
    if (!whole) {
      children.push(partition('core', 0, {}));
      for (const [kind, entity, rows] of [
        ['orders', 'order', counts.order],
        ['invoices', 'invoice', counts.invoice],
      ] as const) {
        const bounds =
          rows > input.partitionSize
            ? await source.partitionBounds(entity, partnerId, input.watermark, input.partitionSize)
            : [];
        ranges(bounds).forEach((range, index) => children.push(partition(kind, index, range)));
      }
    }
    partitionJobs += Math.max(1, children.length);
    partnerNodes.push({
      name: JOB_NAMES.partner,
      queueName: WAVE_QUEUE,
      data: { ...common, partnerId, verify: input.verify !== false, whole },
      opts: {
        jobId: jobIds.partner(input.runKey, partnerId),
        priority: whole ? priorityOf.get(partnerId) : 1,
        ignoreDependencyOnFailure: true,
        ...RETRY,
        ...RETENTION,
      },
      ...(children.length > 0 ? { children } : {}),
    });
  }
  return {
    flow: {
      name: JOB_NAMES.wave,
      queueName: WAVE_QUEUE,
      data: common,
      opts: {
        jobId: jobIds.wave(input.runKey),
        ...RETRY,
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
      children: partnerNodes,
    },
    expectedRows,
    partitionJobs,
  };
}
