/** Invoices and invoice lines -> archive (MAPPING.md, "Orders and invoices -> archive"). */
import { trimWhitespace } from '../core/canonical/trim';
import { addDecimals, decimalEquals, formatDecimal, parseDecimal, type ScaledDecimal } from '../core/decimal';
import type { LegacyInvoice, LegacyInvoiceLine } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import type { ArchiveInvoiceLineRow, ArchiveInvoiceRow } from '../core/target-model';
import { isCalendarDate } from '../core/time';
import { BatchBuilder } from './batch-builder';
import type { TransformContext } from './context';
import { ENUMS, matchEnum, type EnumValue } from './enums';
import { normaliseCurrency, quoteForDetail } from './normalise';
import type { PartnerDecision } from './partner';

/** Invoice status -> `archive.invoices.marketplace_status`. */
export const MARKETPLACE_INVOICE_STATUS: Readonly<Record<EnumValue<typeof ENUMS.invoiceStatus>, string>> = {
  Open: 'Issued',
  Paid: 'Paid',
  Overdue: 'Overdue',
  Void: 'Void',
};

/** Document type -> `archive.invoices.document_type` (a credit note is a credit memo). */
export const MARKETPLACE_DOCUMENT_TYPE: Readonly<
  Record<EnumValue<typeof ENUMS.documentType>, 'Invoice' | 'CreditMemo'>
> = {
  Invoice: 'Invoice',
  CreditNote: 'CreditMemo',
};

/**
 * One page of invoices with their lines -> archive rows; every row is archived (entities
 * `invoice` and `invoice_line`: extracted = loaded). NetAmount is compared with the sum of the
 * invoice's lines only when the page holds lines of that invoice.
 */
export function transformInvoices(
  decision: PartnerDecision,
  invoices: LegacyInvoice[],
  lines: LegacyInvoiceLine[],
  _ctx: TransformContext,
): BatchResult {
  const batch = new BatchBuilder();
  const lineSums = new Map<number, ScaledDecimal>();
  const lineRows = batch.rows('archive_invoice_lines');
  for (const line of lines) {
    const amount = parseDecimal(line.Amount);
    if (amount !== undefined) {
      const sum = lineSums.get(line.InvoiceId);
      lineSums.set(line.InvoiceId, sum === undefined ? amount : addDecimals(sum, amount));
    }
    lineRows.push(archiveInvoiceLine(line));
  }
  batch.loaded('invoice_line', lines.length);

  const invoiceRows = batch.rows('archive_invoices');
  for (const invoice of invoices) {
    invoiceRows.push(transformInvoice(batch, decision, invoice, lineSums.get(invoice.InvoiceId)));
  }
  batch.loaded('invoice', invoices.length);
  return batch.result;
}

function archiveInvoiceLine(line: LegacyInvoiceLine): ArchiveInvoiceLineRow {
  return {
    legacy_invoice_line_id: line.InvoiceLineId,
    legacy_invoice_id: line.InvoiceId,
    legacy_order_id: line.OrderId,
    legacy_customer_id: line.CustomerId,
    description: trimWhitespace(line.Description),
    quantity: line.Quantity,
    unit_price: line.UnitPrice,
    amount: line.Amount,
    tax_rate: line.TaxRate,
    legacy_row_version: line.RowVer,
  };
}

function transformInvoice(
  batch: BatchBuilder,
  decision: PartnerDecision,
  invoice: LegacyInvoice,
  linesTotal: ScaledDecimal | undefined,
): ArchiveInvoiceRow {
  const key = String(invoice.InvoiceId);
  const partnerId = invoice.PartnerId;
  const documentType = matchEnum(ENUMS.documentType, invoice.DocumentType);
  if (documentType === undefined) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'unknown_enum',
      `DocumentType ${quoteForDetail(invoice.DocumentType)} is not known; document_type left NULL`,
    );
  }
  const status = matchEnum(ENUMS.invoiceStatus, invoice.Status);
  if (status === undefined) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'unknown_enum',
      `Status ${quoteForDetail(invoice.Status)} is not known; marketplace_status left NULL`,
    );
  }
  const currency = normaliseCurrency(invoice.CurrencyCode);
  if (!currency.ok) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'invalid_currency',
      `currency ${quoteForDetail(invoice.CurrencyCode)} is not an ISO 4217 code`,
    );
  }
  // InvoiceDate is NOT NULL in both schemas: an impossible date is reported and kept as written.
  if (!isCalendarDate(invoice.InvoiceDate)) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'invalid_date',
      `InvoiceDate ${quoteForDetail(invoice.InvoiceDate)} is not a calendar date`,
    );
  }
  let dueDate = invoice.DueDate;
  if (dueDate !== null && !isCalendarDate(dueDate)) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'invalid_date',
      `DueDate ${quoteForDetail(dueDate)} is not a calendar date; left NULL`,
    );
    dueDate = null;
  }
  const net = parseDecimal(invoice.NetAmount);
  const tax = parseDecimal(invoice.TaxAmount);
  const gross = parseDecimal(invoice.GrossAmount);
  if (net !== undefined && tax !== undefined && gross !== undefined && !decimalEquals(gross, addDecimals(net, tax))) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'amount_mismatch',
      `GrossAmount ${invoice.GrossAmount} differs from NetAmount + TaxAmount = ${formatDecimal(addDecimals(net, tax))}`,
    );
  }
  if (net !== undefined && linesTotal !== undefined && !decimalEquals(net, linesTotal)) {
    batch.finding(
      'invoice',
      key,
      partnerId,
      'amount_mismatch',
      `NetAmount ${invoice.NetAmount} differs from the sum of its lines ${formatDecimal(linesTotal)}`,
    );
  }
  return {
    legacy_invoice_id: invoice.InvoiceId,
    invoice_number: trimWhitespace(invoice.InvoiceNumber),
    legacy_partner_id: partnerId,
    account_id: decision.accountId,
    document_type: documentType === undefined ? null : MARKETPLACE_DOCUMENT_TYPE[documentType],
    document_type_raw: trimWhitespace(invoice.DocumentType),
    invoice_date: invoice.InvoiceDate,
    due_date: dueDate,
    currency: currency.value ?? '',
    net_amount: invoice.NetAmount,
    tax_amount: invoice.TaxAmount,
    gross_amount: invoice.GrossAmount,
    status: trimWhitespace(invoice.Status),
    marketplace_status: status === undefined ? null : MARKETPLACE_INVOICE_STATUS[status],
    legacy_row_version: invoice.RowVer,
  };
}
