import { z } from 'zod';

/** Name of the one queue every wave job goes through; job names tell the kinds apart. */
export const WAVE_QUEUE = 'wave';

export const partitionSchema = z.object({
  index: z.number().int().nonnegative(),
  after: z.number().int().optional(),
  upTo: z.number().int().optional(),
});

const common = {
  /**
   * The marketplace database the run writes to (servicesEnvironment): a worker whose own
   * database differs never runs the job (two environments behind one QUEUE_PREFIX).
   */
  environment: z.string().optional(),
  runId: z.string().min(1),
  waveId: z.number().int().positive(),
  waveName: z.string().min(1),
  watermark: z.string().regex(/^\d+$/),
};

/** The wave's root job: runs after every partner, writes the run's totals. */
export const waveJobSchema = z.object(common);

/** One partner: runs after its partition jobs; replays subscriptions and settles the partner's state. */
export const partnerJobSchema = z.object({
  ...common,
  partnerId: z.number().int().positive(),
  /** Verify the partner after loading it (default true); `ppm wave run --no-verify` leaves it `loaded`. */
  verify: z.boolean().optional(),
});

/** Small partners loaded together: one read per legacy table, one transaction, verified as a group. */
export const batchJobSchema = z.object({
  ...common,
  partnerIds: z.array(z.number().int().positive()).min(1),
  /** Verify the batch's partners after loading them (default true). */
  verify: z.boolean().optional(),
});

/** One unit of loading work: the partner core (partner, users, customers) or a key range of orders or invoices. */
export const partitionJobSchema = z.object({
  ...common,
  partnerId: z.number().int().positive(),
  kind: z.enum(['core', 'orders', 'invoices']),
  partition: partitionSchema,
});

export type WaveJobData = z.infer<typeof waveJobSchema>;
export type PartnerJobData = z.infer<typeof partnerJobSchema>;
export type PartitionJobData = z.infer<typeof partitionJobSchema>;
export type BatchJobData = z.infer<typeof batchJobSchema>;
export type PartitionKind = PartitionJobData['kind'];

export const JOB_NAMES = { wave: 'wave', partner: 'partner', partition: 'partition', batch: 'batch' } as const;

/** The checkpoint key of a partition job: stable across retries and resumes of one run. */
export function jobKeyOf(kind: PartitionKind, index: number): string {
  return kind === 'core' ? 'core' : `${kind}:${index}`;
}

/**
 * The key a run's job ids are made of: its id and the millisecond it started. The id alone is not
 * enough: run ids restart at 1 in a new marketplace database, and a queue prefix can outlive one
 * (the wave job is kept a day), so a new database's run 1 found the old run 1's finished wave job
 * and took itself for done. A resumed run keeps its row, so its key and job ids stay the same.
 */
export function runKeyOf(run: { id: string; started_at: string }): string {
  const startedMs = Date.parse(run.started_at);
  if (!Number.isFinite(startedMs)) throw new RangeError(`run ${run.id} has no valid start time: ${run.started_at}`);
  return `${run.id}_${startedMs}`;
}

/** Deterministic BullMQ job ids (from runKeyOf): one run never enqueues the same work twice. */
export const jobIds = {
  wave: (runKey: string) => `wave_${runKey}`,
  partner: (runKey: string, partnerId: number) => `partner_${runKey}_${partnerId}`,
  partition: (runKey: string, partnerId: number, kind: PartitionKind, index: number) =>
    `part_${runKey}_${partnerId}_${kind}_${index}`,
  /** A batch by its first partner and size: the plan packs the same partners the same way at one watermark. */
  batch: (runKey: string, partnerIds: ReadonlyArray<number>) => `batch_${runKey}_${partnerIds[0]}_${partnerIds.length}`,
};
