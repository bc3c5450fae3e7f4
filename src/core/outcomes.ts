import type { Entity } from './legacy-model';
import type { TargetRows } from './target-model';

/** Reason codes of `migration.quarantine` (MAPPING.md). */
export type QuarantineReason =
  | 'unknown_enum'
  | 'no_seller_for_country'
  | 'invalid_currency'
  | 'partner_quarantined'
  | 'invalid_email'
  | 'duplicate_tenant'
  | 'target_refused';

/** Reason codes of `migration.skipped` (MAPPING.md). */
export type SkipReason = 'partner_closed' | 'soft_deleted' | 'inactive_user' | 'duplicate_user';

/** Codes of `migration.findings`: observations that did not stop a row. */
export type FindingCode =
  | 'unknown_enum'
  | 'sentinel_date'
  | 'invalid_country'
  | 'invalid_currency'
  | 'invalid_email'
  | 'amount_mismatch'
  | 'orphan_customer'
  | 'subscription_without_purchase'
  | 'negative_quantity'
  | 'invalid_guid'
  | 'invalid_date'
  | 'order_after_archive';

/** A legacy row that did not become a live object, with why (zod-style: problems are data). */
export interface Problem<Reason extends string = string> {
  entity: Entity;
  legacyKey: string;
  legacyPartnerId: number;
  reason: Reason;
  detail: string;
  raw: Record<string, unknown>;
}

export interface Finding {
  entity: Entity;
  legacyKey: string;
  legacyPartnerId: number;
  code: FindingCode;
  detail: string;
}

export interface IdMapEntry {
  legacyTable: Entity | 'buyer' | 'user_email' | 'agreement';
  legacyKey: string;
  marketplaceId: string;
}

export interface EntityCounts {
  extracted: number;
  loaded: number;
  quarantined: number;
  skipped: number;
}

/**
 * What transforming one batch yields and loading one batch writes, in one transaction:
 * rows per target table, the rows kept out with their reasons, findings, id-map entries
 * and per-entity counts (`extracted = loaded + quarantined + skipped`).
 */
export interface BatchResult {
  rows: Partial<TargetRows>;
  quarantined: Problem<QuarantineReason>[];
  skipped: Problem<SkipReason>[];
  findings: Finding[];
  idMap: IdMapEntry[];
  counts: Partial<Record<Entity, EntityCounts>>;
}

export function emptyBatchResult(): BatchResult {
  return { rows: {}, quarantined: [], skipped: [], findings: [], idMap: [], counts: {} };
}

export function zeroCounts(): EntityCounts {
  return { extracted: 0, loaded: 0, quarantined: 0, skipped: 0 };
}

/** Adds `more` into `into`, entity by entity. */
export function addCounts(
  into: Partial<Record<Entity, EntityCounts>>,
  more: Partial<Record<Entity, EntityCounts>>,
): void {
  for (const [entity, counts] of Object.entries(more) as [Entity, EntityCounts][]) {
    const target = (into[entity] ??= zeroCounts());
    target.extracted += counts.extracted;
    target.loaded += counts.loaded;
    target.quarantined += counts.quarantined;
    target.skipped += counts.skipped;
  }
}

/** One result holding everything of `results`, in order (for a job that writes several in one transaction). */
export function mergeBatchResults(...results: BatchResult[]): BatchResult {
  const merged = emptyBatchResult();
  for (const result of results) {
    for (const [table, rows] of Object.entries(result.rows) as [keyof TargetRows, unknown[]][]) {
      const into = (merged.rows[table] ??= []) as unknown[];
      for (const row of rows) into.push(row);
    }
    merged.quarantined.push(...result.quarantined);
    merged.skipped.push(...result.skipped);
    merged.findings.push(...result.findings);
    merged.idMap.push(...result.idMap);
    addCounts(merged.counts, result.counts);
  }
  return merged;
}
