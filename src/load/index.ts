/** The load stage: target schema, bulk batch writes, and the pipeline's state in `migration.*`. */
export { migrateTarget, type MigrateTargetResult } from './migrate-target';
export { connectTarget, describeTargetUrl, targetTypeParsers, type ConnectTargetOptions } from './connect-target';
export { writeBatch, type WriteBatchMeta, type WriteBatchSummary } from './write-batch';
export type { LoadTransaction } from './target-connection';
export { withLoadTransaction } from './with-load-transaction';
export { RejectedRowError } from './rejected-row-error';
export { readCheckpoint } from './read-checkpoint';
export { sumCheckpointCounts, type SumCheckpointCountsOptions } from './sum-checkpoint-counts';
export { createWave } from './create-wave';
export { findWave } from './find-wave';
export { listWavePartners } from './list-wave-partners';
export { listPlannedPartnerIds } from './list-planned-partner-ids';
export { movePartners, setPartnerState } from './set-partner-state';
export { createRun, type CreateRunOptions } from './create-run';
export { finishRun, type FinishRunOptions } from './finish-run';
export { findUnfinishedRun } from './find-unfinished-run';
export { readIdMap } from './read-id-map';
export { readSellers } from './read-sellers';
export { readReplayOrders, readReplayOrdersOfPartners, ReplayHistories, type ReplayOrder, type ReplayOrderLine } from './read-replay-orders';
export {
  PARTNER_STATES, type PartnerState, type Wave, type WavePartner, type Run, type Checkpoint, type CheckpointWrite,
  type CountsByEntity, type Seller,
} from './load-records';
export { analyzeLoadedTables } from './analyze-tables';
export { insertReconciliations, type ReconciliationResult } from './insert-reconciliations';
export { describePgError } from './target-errors';
