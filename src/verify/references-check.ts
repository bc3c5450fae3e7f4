import type { MappingCombination } from './sql/read-archive-mappings';
import type { OrphanedLines } from './sql/read-archive-digests';
import type { DanglingReference } from './sql/read-dangling-references';
import { checkResult, type CheckResult, type Discrepancy } from './model';

/** What a partner's references are checked against, besides the unresolved ones the target found itself. */
export interface StoredReferences {
  /** Archived lines naming an order or invoice missing from the archive, within the partner's key span. */
  orphans: Readonly<Record<'order' | 'invoice', ReadonlyArray<OrphanedLines>>>;
  /** The archive's distinct mapped values: their account and licensee ids must be stored rows of the partner. */
  combos: ReadonlyArray<MappingCombination>;
  accountIds: ReadonlySet<string>;
  licenseeIds: ReadonlySet<string>;
}

/** Integrity of a partner's references: every foreign key of its marketplace objects and archive rows resolves. */
export function referencesCheck(
  partnerId: number,
  found: ReadonlyArray<DanglingReference>,
  stored: StoredReferences,
): CheckResult {
  const dangling: DanglingReference[] = [...found];
  for (const parent of ['order', 'invoice'] as const) {
    for (const orphan of stored.orphans[parent]) {
      dangling.push({
        entity: parent,
        legacyKey: String(orphan.parentKey),
        marketplaceId: null,
        detail: `${orphan.lines} archived ${parent} line(s) reference this missing ${parent}`,
      });
    }
  }
  for (const combo of stored.combos) {
    const account = combo.mapped.account_id;
    const licensee = combo.mapped.licensee_id;
    if (account && !stored.accountIds.has(account)) {
      dangling.push({
        entity: combo.entity,
        legacyKey: String(combo.exampleKey),
        marketplaceId: account,
        detail: `${combo.rows} archived row(s) reference a missing account`,
      });
    }
    if (licensee && !stored.licenseeIds.has(licensee)) {
      dangling.push({
        entity: combo.entity,
        legacyKey: String(combo.exampleKey),
        marketplaceId: licensee,
        detail: `${combo.rows} archived row(s) reference a missing licensee`,
      });
    }
  }
  return checkResult(
    {
      check: 'integrity',
      entity: 'references',
      partnerId,
      expected: '0 unresolved references',
      actual: `${dangling.length} unresolved references`,
    },
    dangling.map((d): Discrepancy => ({
      check: 'integrity',
      entity: d.entity,
      partnerId,
      legacyKey: d.legacyKey,
      marketplaceId: d.marketplaceId,
      kind: 'dangling',
      detail: d.detail,
    })),
  );
}
