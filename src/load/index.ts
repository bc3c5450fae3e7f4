/** The load stage: target schema, bulk batch writes, and the pipeline's state in `migration.*`. */
export { migrateTarget, type MigrateTargetResult } from './migrate-target';
export {
  connectTarget,
  describeTargetUrl,
  targetTypeParsers,
  type ConnectTargetOptions,
} from './connection/connect-target';
export { writeBatch, type WriteBatchMeta, type WriteBatchSummary } from './write-batch';
export type { LoadTransaction } from './connection/target-connection';
export { withLoadTransaction } from './connection/with-load-transaction';
export { RejectedRowError } from './copy/rejected-row-error';
export { legacyRowOfRefused, type RefusedLegacyRow } from './copy/refused-rows';
export { readCheckpoint, readDonePartners } from './state/read-checkpoint';
export { sumCheckpointCounts, type SumCheckpointCountsOptions } from './state/sum-checkpoint-counts';
export { createWave } from './state/create-wave';
export { findWave } from './state/find-wave';
export { listPartnerStates, listWavePartners } from './state/list-wave-partners';
export { listPlannedPartnerIds } from './state/list-planned-partner-ids';
export { failPartners, movePartners, setPartnerState, setPartnersState } from './state/set-partner-state';
export { createRun, type CreateRunOptions } from './state/create-run';
export { finishRun, type FinishRunOptions } from './state/finish-run';
export { findUnfinishedRun } from './state/find-unfinished-run';
export { readIdMap } from './state/read-id-map';
export { readSellers } from './state/read-sellers';
export {
  readReplayOrders,
  readReplayOrdersOfPartners,
  readReplayOrdersOfRefs,
  ReplayHistories,
  type ReplayOrder,
  type ReplayOrderLine,
} from './read-replay-orders';
export {
  PARTNER_STATES,
  type PartnerState,
  type Wave,
  type WavePartner,
  type Run,
  type Checkpoint,
  type CheckpointWrite,
  type CountsByEntity,
  type Seller,
} from './state/load-records';
export { analyzeGrownTables, analyzeLoadedTables, type GrownTablesOptions } from './analyze-tables';
export { insertReconciliations, type ReconciliationResult } from './state/insert-reconciliations';
export { describePgError, isTransientTargetError } from './connection/target-errors';
export { readReconciliations, readRecordedResults } from './state/read-reconciliations';
export {
  insertReport,
  readReports,
  readLatestReport,
  readLastSeal,
  readRunReport,
  type StoredReportRow,
} from './state/reports';
export { readProblemGroups, type ProblemGroupRow } from './state/read-problem-groups';
export { findLatestRun } from './state/find-latest-run';
export { settleCutoverPartners } from './state/settle-cutover-partners';
export { readClosedPartners } from './state/read-closed-partners';
export { hasRefusalsInRun } from './state/read-refusals-in-run';
export { readWavePartnerCounts, type WavePartnerCount } from './state/read-wave-partner-counts';
export { readFailedPartners, type FailedPartner } from './state/read-failed-partners';
export { setWaveStatus, type WaveStatus } from './state/set-wave-status';
export { deleteReconciliations } from './state/delete-reconciliations';
export { retireMemberships } from './state/retire-memberships';
export { withSyncLock, withWaveVerifyLock } from './state/sync-lock';
export {
  ARCHIVE_KEYS,
  SYNCED_STATES,
  closeInterruptedSyncs,
  expireInvitations,
  listSyncPartners,
  markArchiveDeleted,
  readArchiveKeyDigests,
  readArchiveKeys,
  readArchivedOrdersOfCustomers,
  readArchivedRefsOfOrders,
  readArchivedReplayFields,
  readArchivedLineAmounts,
  type ArchivedLineAmount,
  readReplayedSubscriptions,
  deleteUnmadeSubscriptions,
  replayFieldsOf,
  closeRefsOverAgreements,
  readExistingKeys,
  readOpenQuarantine,
  readOpenProblemKeys,
  readTableWatermarks,
  readWaveSyncWatermark,
  setPartnerWatermarks,
  writeTableWatermarks,
  type ArchiveKeyTable,
  type SyncPartner,
  type TableWatermark,
} from './state/sync-state';
export { pgConnectionOf } from './connection/target-connection';
export {
  deleteStoredSyncSchedule,
  readStoredSyncSchedule,
  storeSyncSchedule,
  type StoredSyncSchedule,
} from './state/sync-schedule';
