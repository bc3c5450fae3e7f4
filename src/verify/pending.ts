import type { CheckResult, Discrepancy } from './model';

/** A legacy row changed after the watermark a check read at: the next sync takes it. */
export interface PendingRow {
  entity: string;
  partnerId: number;
  legacyKey: string;
}

/**
 * What a check's rows are derived from beyond their own legacy row: agreements and subscriptions
 * replay the partner's customers and completed orders, an archived order's mapped licensee
 * follows its customer. A pending row of those explains their discrepancies too.
 */
const DERIVED_FROM: Record<string, ReadonlyArray<string>> = {
  'integrity:agreement': ['customer', 'order', 'order_line'],
  'integrity:subscription': ['customer', 'order', 'order_line'],
  'mapping_fidelity:order': ['customer'],
  'integrity:order': ['customer'],
};

/**
 * A check result with the discrepancies that pending rows explain taken out: one naming a
 * pending row's key, one of no key (a count, a sum) of an entity with pending rows of the
 * partner, or one of rows derived from an entity with pending rows (DERIVED_FROM). A check left with no discrepancy passes, its pending rows listed; one whose
 * discrepancies were not all listed (the per-check cap) is left as it is, since the unlisted
 * ones cannot be told apart.
 */
export function settlePending(result: CheckResult, pending: ReadonlyArray<PendingRow> | undefined): CheckResult {
  if (result.passed || !pending || pending.length === 0) return result;
  if (result.discrepanciesTotal > result.discrepancies.length) return result;
  const keys = new Set(pending.map((row) => `${row.entity}|${row.legacyKey}`));
  const entities = new Set(pending.map((row) => row.entity));
  const explained = (d: Discrepancy) =>
    (d.legacyKey !== null ? keys.has(`${d.entity}|${d.legacyKey}`) : entities.has(d.entity)) ||
    (DERIVED_FROM[`${d.check}:${d.entity}`] ?? []).some((entity) => entities.has(entity));
  const left = result.discrepancies.filter((d) => !explained(d));
  if (left.length === result.discrepancies.length) return result;
  const named = new Set(
    result.discrepancies
      .filter(explained)
      .flatMap((d) => [d.entity, ...(DERIVED_FROM[`${d.check}:${d.entity}`] ?? [])]),
  );
  const rows = pending.filter((row) => named.has(row.entity));
  return {
    ...result,
    passed: left.length === 0,
    discrepancies: left,
    discrepanciesTotal: left.length,
    pending: rows,
  };
}
