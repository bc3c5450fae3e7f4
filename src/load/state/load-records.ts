import type { Entity } from '../../core/legacy-model';
import type { EntityCounts } from '../../core/outcomes';

/**
 * The pipeline's own state as the load verbs hand it out: rows of `migration.*` with their
 * column names. Run ids are bigint identities kept as decimal text (like every pg bigint);
 * wave ids are small and given as numbers. Timestamps are ISO 8601 UTC strings.
 */

/** A partner's lifecycle in a wave (SCHEMA.md); `cutover` and `done` need `verified` first. */
export const PARTNER_STATES = [
  'planned',
  'notified',
  'loading',
  'loaded',
  'verified',
  'cutover',
  'done',
  'failed',
] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

/** Per-entity counts as checkpoints and runs store them. */
export type CountsByEntity = Partial<Record<Entity, EntityCounts>>;

/** A row of `migration.waves`. */
export interface Wave {
  id: number;
  name: string;
  status: string;
  planned_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A row of `migration.wave_partners`: one partner's place in a wave and when it reached each step. */
export interface WavePartner {
  wave_id: number;
  legacy_partner_id: number;
  state: PartnerState;
  failure_reason: string | null;
  watermark: string | null;
  planned_at: string | null;
  notified_at: string | null;
  loading_at: string | null;
  loaded_at: string | null;
  verified_at: string | null;
  cutover_at: string | null;
  done_at: string | null;
  failed_at: string | null;
}

/** A row of `migration.runs`: one execution (a wave run, a sync, a verify). */
export interface Run {
  id: string;
  kind: string;
  status: string;
  wave_id: number | null;
  started_at: string;
  finished_at: string | null;
  /** The source watermark (rowversion as an unsigned decimal integer in text) the run read up to. */
  watermark: string | null;
  counts: CountsByEntity;
  error: string | null;
}

/** What a batch's checkpoint records: the job's state after that batch. */
export interface CheckpointWrite {
  runId: string;
  partnerId: number;
  /** Names the job within the partner, e.g. `orders:0` for the first order partition. */
  jobKey: string;
  /** Last legacy key written (keyset cursor); null before the first batch or when the job has none. */
  cursor: number | null;
  done: boolean;
  /** Cumulative counts of this job up to and including this batch (not the batch's own). */
  counts: CountsByEntity;
}

/** A stored checkpoint. */
export interface Checkpoint extends CheckpointWrite {
  updatedAt: string;
}

/** A seller as transform needs it to link buyers and licensees. */
export interface Seller {
  id: string;
  externalId: string;
  name: string;
  country: string;
  currencies: string[];
  status: string;
}
