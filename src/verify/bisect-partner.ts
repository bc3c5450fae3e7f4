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
  rangeChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    ranges: KeyRange[],
  ): Promise<RangeChecksum[]>;
  keyChecksums(entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): Promise<KeyChecksum[]>;
  readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]>;
}

/** The data-diff of one entity of one partner, legacy at the watermark against the archive, to keys and columns. */
export function bisectPartner(
  legacy: LegacyChecksums,
  target: Knex,
  entity: ArchiveEntity,
  partnerId: number,
  watermark: string,
): Promise<RowDiff> {
  return diffRows(
    {
      rangeChecksums: (ranges) => legacy.rangeChecksums(entity, partnerId, watermark, ranges),
      keyChecksums: (range) => legacy.keyChecksums(entity, partnerId, watermark, range),
      readRows: (keys) => legacy.readCanonicalRows(entity, keys),
    },
    {
      rangeChecksums: (ranges) => readArchiveRangeChecksums(target, entity, partnerId, ranges),
      keyChecksums: (range) => readArchiveKeyChecksums(target, entity, partnerId, range),
      readRows: (keys) => readArchiveCanonicalRows(target, entity, keys),
    },
  );
}
