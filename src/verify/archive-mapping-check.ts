import type { ArchiveMapping, MappedDecision } from './mapping';
import { checkResult, type CheckResult, type Discrepancy } from './model';
import type { MappingCombination, OrderedAtOutlier } from './sql/read-archive-mappings';

/**
 * The archive's mapped columns (enum mappings, account and licensee ids, ordered_at) recomputed
 * through the mapping: once per distinct combination of raw and mapped values, and once per
 * order whose ordered_at PostgreSQL reads otherwise than stored.
 */
export function archiveMappingCheck(
  mapping: ArchiveMapping,
  decision: MappedDecision,
  licensees: ReadonlyMap<number, string>,
  combos: MappingCombination[],
  outliers: OrderedAtOutlier[],
  zone: string,
): CheckResult {
  const partnerId = decision.partnerId;
  const discrepancies: Discrepancy[] = [];
  const mapped = (value: string | undefined, table: Readonly<Record<string, string>>) =>
    value === undefined ? null : table[value];
  for (const combo of combos) {
    let expected: Record<string, string | null>;
    if (combo.entity === 'order' && 'order_type' in combo.raw) {
      expected = {
        marketplace_type: mapped(mapping.orderType(String(combo.raw.order_type)), mapping.marketplaceOrderType),
        marketplace_status: mapped(mapping.orderStatus(String(combo.raw.status)), mapping.marketplaceOrderStatus),
        account_id: decision.accountId,
      };
    } else if (combo.entity === 'order') {
      const customerId = combo.raw.legacy_customer_id;
      const migrates = customerId !== null && decision.outcome === 'migrated';
      expected = { licensee_id: migrates ? (licensees.get(Number(customerId)) ?? null) : null };
    } else if (combo.entity === 'order_line') {
      expected = { billing_frequency: mapping.billingFrequency(String(combo.raw.billing_frequency_raw)) ?? null };
    } else {
      expected = {
        document_type: mapped(
          mapping.documentType(String(combo.raw.document_type_raw)),
          mapping.marketplaceDocumentType,
        ),
        marketplace_status: mapped(mapping.invoiceStatus(String(combo.raw.status)), mapping.marketplaceInvoiceStatus),
        account_id: decision.accountId,
      };
    }
    const columns = Object.entries(expected)
      .filter(([column, value]) => (combo.mapped[column] ?? null) !== value)
      .map(([column, value]) => ({ column, legacy: value, target: combo.mapped[column] ?? null }));
    if (columns.length > 0) {
      discrepancies.push({
        check: 'mapping_fidelity',
        entity: combo.entity,
        partnerId,
        legacyKey: String(combo.exampleKey),
        kind: 'changed',
        columns,
        detail:
          `${combo.rows} archived row(s) with ${JSON.stringify(combo.raw)}` +
          ' map to other values than the mapping gives (first key shown)',
      });
    }
  }
  for (const outlier of outliers) {
    const converted = outlier.local === null ? null : mapping.convertLegacyDateTime(outlier.local, zone);
    const expected = converted?.kind === 'instant' ? converted.utc : null;
    if (expected !== outlier.orderedAt) {
      discrepancies.push({
        check: 'mapping_fidelity',
        entity: 'order',
        partnerId,
        legacyKey: String(outlier.key),
        kind: 'changed',
        columns: [{ column: 'ordered_at', legacy: expected, target: outlier.orderedAt }],
        detail: 'ordered_at is not OrderDate converted to UTC',
      });
    }
  }
  return checkResult(
    {
      check: 'mapping_fidelity',
      entity: 'archive',
      partnerId,
      expected: `${combos.length} mapped value combinations`,
      actual: `${combos.length - discrepancies.length} as mapped`,
    },
    discrepancies,
  );
}
