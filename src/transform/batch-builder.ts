/**
 * Collects one transform's output into a BatchResult and keeps the per-entity counts in step
 * with what was recorded, so `extracted = loaded + quarantined + skipped` holds by construction.
 */
import type { Entity } from '../core/legacy-model';
import type {
  BatchResult,
  EntityCounts,
  FindingCode,
  IdMapEntry,
  QuarantineReason,
  SkipReason,
} from '../core/outcomes';
import type { TargetRows } from '../core/target-model';

/** Where a problem or finding points: entity, legacy key and the partner it belongs to. */
export interface LegacyRef {
  entity: Entity;
  legacyKey: string;
  legacyPartnerId: number;
}

export class BatchBuilder {
  readonly result: BatchResult = { rows: {}, quarantined: [], skipped: [], findings: [], idMap: [], counts: {} };

  /** The counts of `entity`, created at zero so an empty batch still reports its entities. */
  counts(entity: Entity): EntityCounts {
    return (this.result.counts[entity] ??= { extracted: 0, loaded: 0, quarantined: 0, skipped: 0 });
  }

  /** Appends rows to a target table (creating the array on first use). */
  rows<K extends keyof TargetRows>(table: K): TargetRows[K] {
    return (this.result.rows[table] ??= [] as TargetRows[K]) as TargetRows[K];
  }

  /** A legacy row that became (part of) a live or archive object. */
  loaded(entity: Entity, count = 1): void {
    const counts = this.counts(entity);
    counts.extracted += count;
    counts.loaded += count;
  }

  quarantine(ref: LegacyRef, reason: QuarantineReason, detail: string, raw: object): void {
    const counts = this.counts(ref.entity);
    counts.extracted += 1;
    counts.quarantined += 1;
    this.result.quarantined.push({ ...ref, reason, detail, raw: raw as Record<string, unknown> });
  }

  skip(ref: LegacyRef, reason: SkipReason, detail: string, raw: object): void {
    const counts = this.counts(ref.entity);
    counts.extracted += 1;
    counts.skipped += 1;
    this.result.skipped.push({ ...ref, reason, detail, raw: raw as Record<string, unknown> });
  }

  finding(entity: Entity, legacyKey: string, legacyPartnerId: number, code: FindingCode, detail: string): void {
    this.result.findings.push({ entity, legacyKey, legacyPartnerId, code, detail });
  }

  mapId(legacyTable: IdMapEntry['legacyTable'], legacyKey: string, marketplaceId: string): void {
    this.result.idMap.push({ legacyTable, legacyKey, marketplaceId });
  }
}
