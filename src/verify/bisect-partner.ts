import type { Knex } from 'knex';
import type { ArchiveEntity, CanonicalRow, KeyChecksum, RangeChecksum } from '../core/canonical';
import { diffRows, type KeyRange, type RowDiff } from './bisect';
import {
  readArchiveCanonicalRows,
  readArchiveKeyChecksums,
  readArchiveRangeChecksums,
} from './sql/read-archive-checksums';

/** The legacy side of a bisection, computed inside the legacy database (src/extract's SourceReader has it). */
export interface LegacyChecksums {
  /** `keys`: only the rows whose range key (the parent key for lines) is one of them. */
  rangeChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    ranges: KeyRange[],
    keys?: ReadonlyArray<number>,
  ): Promise<RangeChecksum[]>;
  keyChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    range: KeyRange,
    keys?: ReadonlyArray<number>,
  ): Promise<KeyChecksum[]>;
  readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]>;
}

/**
 * The data-diff of one entity of one partner, legacy at the watermark against the archive, to
 * keys and columns; with `scope` (parent keys), of the rows of those keys only, on both sides.
 */
export function bisectPartner(
  legacy: LegacyChecksums,
  target: Knex,
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
  scope?: ReadonlyArray<number>,
): Promise<RowDiff> {
  return diffRows(
    {
      rangeChecksums: (ranges) => legacy.rangeChecksums(entity, partnerId, watermark, ranges, scope),
      keyChecksums: (range) => legacy.keyChecksums(entity, partnerId, watermark, range, scope),
      readRows: (keys) => legacy.readCanonicalRows(entity, keys),
    },
    {
      rangeChecksums: (ranges) => readArchiveRangeChecksums(target, entity, partnerId, ranges, scope),
      keyChecksums: (range) => readArchiveKeyChecksums(target, entity, partnerId, range, scope),
      readRows: (keys) => readArchiveCanonicalRows(target, entity, keys),
    },
  );
}
