/** The verify stage: reconciliation checks, checksums, the data-diff bisection, the report, its seal and renderers. */
export * from './model';
export {
  diffRows,
  splitRange,
  compareKeyChecksums,
  compareCanonicalRows,
  type ChecksumSide,
  type RowDiff,
  type BisectOptions,
  type KeyRange,
} from './bisect';
export { archiveRowsCheck, archiveMoneyCheck } from './archive-fidelity';
export { keySetCompleteness, archiveCompleteness } from './completeness';
export {
  compareExpectedRows,
  compareHashedRows,
  expectedRowsChecksum,
  valueText,
  type ExpectedTable,
} from './compare-rows';
export { buildReport, reportSchema, type Report, type ReportInput, type ProblemGroup } from './report';
export { canonicalJson, sealOf, sealOfCanonical, verifyChain, type StoredReport, type ChainVerdict } from './seal';
export { renderMarkdown, renderCsv, renderJson, REPORT_FORMATS, type ReportFormat } from './render';
export {
  renderHtml,
  renderReportBody,
  reportView,
  summariseChecks,
  moneyChart,
  isSentinelMonth,
  escapeHtml,
  htmlTable,
  Raw,
  REPORT_STYLE,
  type ReportView,
  type CheckSummary,
  type ReportLinks,
} from './render-html';
export { redactReport, ReportRedactor, PERSONAL_COLUMNS } from './redact-report';
export type {
  ArchiveMapping,
  EnumMatch,
  LegacyDateTime,
  MappedDecision,
  MappedPartner,
  VerifyMapping,
} from './mapping';
export type { PartnerCheckInputs } from './partner-check-inputs';
export { HASHED_COMPARISONS, compareHashedTables, type HashedComparison } from './hashed-comparisons';
export { archiveMappingCheck } from './archive-mapping-check';
export { accountSideChecks } from './account-side-checks';
export { referencesCheck, type StoredReferences } from './references-check';
export { bisectPartner, type LegacyChecksums } from './bisect-partner';
export { checkPartners, withScope, type PartnerCheckOptions } from './partner-checks';
export { chunkPartners } from './chunk-partners';
export { partnerPassed, partnersByVerdict } from './partner-verdicts';
export { settlePending, type PendingRow } from './pending';
export {
  readArchiveRangeChecksums,
  readArchiveKeyChecksums,
  readArchiveCanonicalRows,
  readArchiveSizes,
} from './sql/read-archive-checksums';
export { readArchiveDigests, type ArchiveDigests, type OrphanedLines } from './sql/read-archive-digests';
export { scopedKeysOf } from './sql/archive-canonical';
export { readAccounting, type AccountedKeys, type PartnerAccounting } from './sql/read-accounted-keys';
export { readRefusedRows, type RefusedRow } from './sql/read-refused-rows';
export {
  readAccountSideRows,
  readUsers,
  readMarketplaceHashes,
  readMarketplaceTableRows,
  type AccountSideRows,
  type HashedTable,
  type HashedRow,
} from './sql/read-marketplace-rows';
export {
  readArchiveMappings,
  readOrderedAtOutliers,
  type MappingCombination,
  type OrderedAtOutlier,
} from './sql/read-archive-mappings';
export { readDanglingReferences, type DanglingReference } from './sql/read-dangling-references';
