import type { BatchResult } from '../../src/core/outcomes';
import type { LegacyTableName } from '../../src/extract/source-reader';

/**
 * What a sync writes of what it transformed. A partner's account side and its changed orders and
 * invoices are transformed whole (duplicate rules need every customer; an invoice's NetAmount is
 * compared with all its lines), but a row the legacy database has not changed since the partner
 * was last applied is already in the target as the transform makes it: it is left out of the write.
 *
 * Kept, per partner:
 * - licensees (and their id map entries): of the customers changed in the window, of those with
 *   an open quarantine or skipped row (their outcome may change with another row's, e.g. a
 *   duplicate tenant), and all of them when the partner row changed (they carry its account);
 * - archive order and invoice lines: every line of an order or invoice whose own row changed
 *   (a line read late waits for its parent's next change, so a changed parent carries them all),
 *   and the lines changed themselves;
 * - orders and invoices as transformed, but those read back only for their sum of lines
 *   (`sumsOnly`) when their own row did not change;
 * - everything else (accounts, buyers, users, account users, problems, findings) as
 *   transformed: few rows, or rows the change names.
 */
export interface ChangedKeys {
  /** Rows changed in the window, as `Table|rowKey`. */
  rows: ReadonlySet<string>;
  /** Accounts of the partners whose own row changed: their account side is written whole. */
  wholeAccounts: ReadonlySet<string>;
  /** Customers with an open quarantine or skipped row, as legacy keys. */
  openCustomers: ReadonlySet<string>;
  /**
   * Orders and invoices read back only because a line's amount moved (their sum of lines is
   * checked again): their findings are kept, their unchanged rows are not written, unless they
   * changed themselves or are in `reappliedOrders`.
   */
  sumsOnly?: { orders: ReadonlySet<number>; invoices: ReadonlySet<number> };
  /** Orders applied again for their customer's licensee: written whatever their own row. */
  reappliedOrders?: ReadonlySet<number>;
}

export function changedRowKey(table: LegacyTableName, rowKey: number | string): string {
  return `${table}|${rowKey}`;
}

export function keepChangedRows(result: BatchResult, changed: ChangedKeys): BatchResult {
  const has = (table: LegacyTableName, key: number | string) => changed.rows.has(changedRowKey(table, key));
  const rows = { ...result.rows };
  const dropped = new Set<string>();
  if (rows.licensees) {
    rows.licensees = rows.licensees.filter((row) => {
      const key = String(row.legacy_customer_id);
      const keep = changed.wholeAccounts.has(row.account_id) || changed.openCustomers.has(key) || has('Customers', key);
      if (!keep) dropped.add(key);
      return keep;
    });
  }
  if (rows.archive_order_lines) {
    rows.archive_order_lines = rows.archive_order_lines.filter(
      (line) => has('Orders', line.legacy_order_id) || has('OrderLines', line.legacy_order_line_id),
    );
  }
  if (rows.archive_invoice_lines) {
    rows.archive_invoice_lines = rows.archive_invoice_lines.filter(
      (line) => has('Invoices', line.legacy_invoice_id) || has('InvoiceLines', line.legacy_invoice_line_id),
    );
  }
  const { sumsOnly, reappliedOrders } = changed;
  if (sumsOnly && rows.archive_orders)
    rows.archive_orders = rows.archive_orders.filter(
      (row) =>
        !sumsOnly.orders.has(row.legacy_order_id) ||
        has('Orders', row.legacy_order_id) ||
        (reappliedOrders?.has(row.legacy_order_id) ?? false),
    );
  if (sumsOnly && rows.archive_invoices)
    rows.archive_invoices = rows.archive_invoices.filter(
      (row) => !sumsOnly.invoices.has(row.legacy_invoice_id) || has('Invoices', row.legacy_invoice_id),
    );
  const idMap = result.idMap.filter((entry) => !(entry.legacyTable === 'customer' && dropped.has(entry.legacyKey)));
  return { ...result, rows, idMap };
}
