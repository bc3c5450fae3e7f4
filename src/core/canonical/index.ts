/**
 * The canonical projection that reconciliation hashes on both sides (PITFALLS.md,
 * "Reconciliation": hashing breaks on representation, not on data). Defined once, here: every
 * engine's SQL and the target's SQL build their canonical text from these specs, and the
 * transform trims exactly TRIM_WHITESPACE so the archive's stored text is the canonical text
 * of the legacy value.
 */
export { TRIM_WHITESPACE, trimWhitespace } from './trim';
export {
  ARCHIVE_ENTITIES,
  CANONICAL,
  type ArchiveEntity,
  type ArchiveLegacyTable,
  type CanonicalColumn,
  type CanonicalEntity,
  type CanonicalType,
} from './specs';
export {
  FIELD_SEPARATOR,
  HASH_HEX_DIGITS,
  NULL_MARKER,
  RowHashSum,
  canonicalText,
  rowHash,
  type CanonicalValues,
} from './row-hash';
export {
  EMPTY_CHECKSUM,
  sameChecksum,
  toCanonicalRow,
  toRangeChecksums,
  type CanonicalRow,
  type KeyChecksum,
  type RangeChecksum,
} from './checksums';
export { MONEY, moneyColumns, type MoneySum } from './money';
export { toPartnerDigests, type PartnerDigest } from './partner-digests';
