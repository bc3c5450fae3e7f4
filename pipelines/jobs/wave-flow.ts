import { packByWeight } from '../../src/core/pack-by-weight';
import type { FlowJob } from 'bullmq';
import type { PartnerRowCounts, SourceReader } from '../../src/extract/source-reader';
import {
  JOB_NAMES,
  WAVE_QUEUE,
  jobIds,
  type BatchJobData,
  type PartitionJobData,
  type PartitionKind,
} from './payloads';
import { JOB_ATTEMPTS } from './worker';

/** Completed jobs leave Redis at once (their outcome lives in PostgreSQL); failed ones stay a week for inspection. */
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;
const RETRY = { attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } } as const;

export interface FlowPlanInput {
  /** The marketplace database of the run (Services.environment). */
  environment?: string;
  runId: string;
  /** runKeyOf the run: what its job ids are made of. */
  runKey: string;
  waveId: number;
  waveName: string;
  watermark: string;
  partnerIds: number[];
  /** Orders (or invoices) per partition job; partners with at most this many rows are small. */
  partitionSize: number;
  /** Partners per batch at most. */
  batchPartners: number;
  /** Legacy rows per batch of small partners at most. Default `partitionSize`. */
  batchRows?: number;
  /** Verify each partner after loading it. Default true. */
  verify?: boolean;
}

export interface FlowPlan {
  flow: FlowJob;
  /** Legacy rows the run will read, for progress and ETA. */
  expectedRows: number;
  /** Legacy rows per partner (what verifying it checks), for the ETA. */
  rowsByPartner: Map<number, number>;
  /** The small partners, loaded in batches (the rest in partitions), for the ETA. */
  batchedPartners: Set<number>;
  /** Jobs that read legacy rows: partitions of big partners and batches of small ones. */
  partitionJobs: number;
  /** Of those, the batches. */
  batchJobs: number;
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

const rowsOf = (counts: PartnerRowCounts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/**
 * Small partners packed into batches in key order (their keys, and so their rows, lie close
 * together in the legacy indexes): up to `rowBudget` legacy rows and `maxPartners` partners
 * each; a partner is never split.
 */
export function packBatches(
  partners: ReadonlyArray<{ partnerId: number; rows: number }>,
  rowBudget: number,
  maxPartners: number,
): number[][] {
  const ordered = [...partners].sort((a, b) => a.partnerId - b.partnerId);
  return packByWeight(ordered, (partner) => partner.rows, rowBudget, maxPartners).map((batch) =>
    batch.map((partner) => partner.partnerId),
  );
}

/**
 * Two lists of jobs merged so that each advances in proportion to its length: big partners'
 * partitions spread over the wave among the batches of small ones. The mix of work stays the
 * same from start to end, so all workers stay busy to the end (no big partner alone at the
 * end) and the progress line's estimate holds from its first minutes.
 */
export function interleave<A, B>(first: A[], second: B[]): (A | B)[] {
  const result: (A | B)[] = [];
  let [i, j] = [0, 0];
  while (i < first.length || j < second.length) {
    const takeFirst = j >= second.length || (i < first.length && (i + 0.5) / first.length <= (j + 0.5) / second.length);
    result.push(takeFirst ? first[i++] : second[j++]);
  }
  return result;
}

/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;

/**
 * The BullMQ flow of one wave run: the wave job waits for one job per big partner, which waits
 * for its partition jobs (the partner core, and key ranges of orders and invoices), and for the
 * batch jobs of small partners. A failed partition fails its partner; a failed partner or batch
 * is an ignored dependency of the wave.
 */
export async function planWaveFlow(source: SourceReader, input: FlowPlanInput): Promise<FlowPlan> {
  const common = {
    environment: input.environment,
    runId: input.runId,
    waveId: input.waveId,
    waveName: input.waveName,
    watermark: input.watermark,
  };
  const verify = input.verify !== false;
  const countsById = await source.countRowsByPartner(input.partnerIds, input.watermark);
  const sized = input.partnerIds.map((partnerId) => ({ partnerId, counts: countsById.get(partnerId)! }));
  const expectedRows = sized.reduce((sum, { counts }) => sum + rowsOf(counts), 0);
  const big = sized
    .filter(({ counts }) => rowsOf(counts) > input.partitionSize)
    // Largest first: their partner jobs (the subscription replay) come early.
    .sort((a, b) => rowsOf(b.counts) - rowsOf(a.counts) || a.partnerId - b.partnerId);
  const small = sized
    .filter(({ counts }) => rowsOf(counts) <= input.partitionSize)
    .map(({ partnerId, counts }) => ({ partnerId, rows: rowsOf(counts) }));

  const partitions: FlowJob[][] = [];
  for (const { partnerId, counts } of big) {
    const children: FlowJob[] = [];
    const partition = (kind: PartitionKind, index: number, range: { after?: number; upTo?: number }): FlowJob => {
      const data: PartitionJobData = { ...common, partnerId, kind, partition: { index, ...range } };
      return {
        name: JOB_NAMES.partition,
        queueName: WAVE_QUEUE,
        data,
        opts: {
          jobId: jobIds.partition(input.runKey, partnerId, kind, index),
          failParentOnFailure: true,
          ...RETRY,
          ...RETENTION,
        },
      };
    };
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
    partitions.push(children);
  }
  const batches: FlowJob[] = packBatches(small, input.batchRows ?? input.partitionSize, input.batchPartners).map(
    (partnerIds) => {
      const data: BatchJobData = { ...common, partnerIds, verify };
      return {
        name: JOB_NAMES.batch,
        queueName: WAVE_QUEUE,
        data,
        opts: {
          jobId: jobIds.batch(input.runKey, partnerIds),
          ignoreDependencyOnFailure: true,
          ...RETRY,
          ...RETENTION,
        },
      };
    },
  );
  // Priorities in the interleaved order; a big partner's own job (after its partitions) goes first.
  interleave(partitions.flat(), batches).forEach((job, rank) => {
    job.opts = { ...job.opts, priority: Math.min(2 + rank, MAX_PRIORITY) };
  });
  const partnerNodes: FlowJob[] = big.map(({ partnerId }, index) => ({
    name: JOB_NAMES.partner,
    queueName: WAVE_QUEUE,
    data: { ...common, partnerId, verify },
    opts: {
      jobId: jobIds.partner(input.runKey, partnerId),
      priority: 1,
      ignoreDependencyOnFailure: true,
      ...RETRY,
      ...RETENTION,
    },
    children: partitions[index],
  }));
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
      children: [...partnerNodes, ...batches],
    },
    expectedRows,
    rowsByPartner: new Map(sized.map(({ partnerId, counts }) => [partnerId, rowsOf(counts)])),
    batchedPartners: new Set(small.map(({ partnerId }) => partnerId)),
    partitionJobs: partitions.flat().length + batches.length,
    batchJobs: batches.length,
  };
}
