import { z } from 'zod';

/** Name of the one queue every wave job goes through; job names tell the kinds apart. */
export const WAVE_QUEUE = 'wave';

export const partitionSchema = z.object({
  index: z.number().int().nonnegative(),
  after: z.number().int().optional(),
  upTo: z.number().int().optional(),
});

const common = {
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
  /** A small partner loaded by this one job (no partition children). */
  whole: z.boolean().optional(),
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
export type PartitionKind = PartitionJobData['kind'];

export const JOB_NAMES = { wave: 'wave', partner: 'partner', partition: 'partition' } as const;

/** The checkpoint key of a partition job: stable across retries and resumes of one run. */
export function jobKeyOf(kind: PartitionKind, index: number): string {
  return kind === 'core' ? 'core' : `${kind}:${index}`;
}

/** Deterministic BullMQ job ids: one run never enqueues the same work twice. */
export const jobIds = {
  wave: (runId: string) => `wave_${runId}`,
  partner: (runId: string, partnerId: number) => `partner_${runId}_${partnerId}`,
  partition: (runId: string, partnerId: number, kind: PartitionKind, index: number) => `part_${runId}_${partnerId}_${kind}_${index}`,
};
