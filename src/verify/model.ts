/** What the checks produce: check results with their discrepancies (problems are data). */

export const CHECKS = ['completeness', 'archive_fidelity', 'mapping_fidelity', 'integrity'] as const;
export type CheckName = (typeof CHECKS)[number];

/** One column of a changed row, with both values (NULL as null). */
export interface ColumnDifference {
  column: string;
  legacy: string | null;
  target: string | null;
}

/**
 * One discrepancy: which check, entity, legacy key (and marketplace id where there is one) and,
 * for a changed row, the columns that differ with both values.
 */
export interface Discrepancy {
  check: CheckName;
  entity: string;
  partnerId: number;
  legacyKey: string | null;
  marketplaceId?: string | null;
  kind: 'missing' | 'extra' | 'changed' | 'count' | 'sum' | 'duplicate' | 'dangling';
  columns?: ColumnDifference[];
  detail: string;
}

/** One check of one entity of one partner (a `migration.reconciliations` row). */
export interface CheckResult {
  check: CheckName;
  entity: string;
  partnerId: number;
  /** What the legacy side (or the mapping) says, as text. */
  expected: string;
  /** What the target holds, as text. */
  actual: string;
  passed: boolean;
  /** At most MAX_DISCREPANCIES_PER_CHECK; `discrepanciesTotal` says how many there were. */
  discrepancies: Discrepancy[];
  discrepanciesTotal: number;
  /** Totals the report shows (rows legacy/target, money sums). */
  facts?: CheckFacts;
  /** Legacy rows changed after the watermark that explain what would have been discrepancies (settlePending). */
  pending?: Array<{ entity: string; partnerId: number; legacyKey: string }>;
}

export interface MoneyCell {
  entity: 'order' | 'invoice';
  currency: string;
  month: string;
  amount: 'total' | 'net' | 'tax' | 'gross';
  legacy: string | null;
  target: string | null;
}

export interface CheckFacts {
  legacyRows?: number;
  targetRows?: number;
  money?: MoneyCell[];
}

/** Discrepancies kept per check; beyond it the report counts but does not list (and says so). */
export const MAX_DISCREPANCIES_PER_CHECK = 100;

/** A check result from its discrepancies: passes when there are none. */
export function checkResult(
  base: { check: CheckName; entity: string; partnerId: number; expected: string; actual: string; facts?: CheckFacts },
  discrepancies: Discrepancy[],
): CheckResult {
  return {
    ...base,
    passed: discrepancies.length === 0,
    discrepancies: discrepancies.slice(0, MAX_DISCREPANCIES_PER_CHECK),
    discrepanciesTotal: discrepancies.length,
  };
}

/**
 * What of a partner a verification checks when it is given a scope (the nightly sync verifies
 * what it applied): its account side whole, its archive and subscriptions over these keys only.
 */
export interface PartnerScope {
  /** Legacy order ids whose order rows and all their lines are checked (archive order, order_line, order money). */
  orders: ReadonlyArray<number>;
  /** Legacy invoice ids: the invoice rows and all their lines (archive invoice, invoice_line, invoice money). */
  invoices: ReadonlyArray<number>;
  /** Subscription refs (trimmed external_ref) whose subscriptions, and the agreements those belong to (stored and expected), are checked. */
  subscriptionRefs: ReadonlyArray<string>;
}
