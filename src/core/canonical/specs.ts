/**
 * The canonical column specs: which columns of each archive entity are compared, under which
 * legacy and archive names, and the type that decides each column's canonical text. Every
 * engine's SQL and the target's SQL build their canonical text from these.
 */

/**
 * The type of a compared column, deciding its canonical text:
 * - `int`: decimal digits, optional minus. `rowversion`: the unsigned integer in decimal.
 * - `decimal`: fixed scale, `-12.3400` (scale 4); never a float.
 * - `date`: `YYYY-MM-DD`. `localDateTime`: `YYYY-MM-DD HH:MM:SS.fff` (wall-clock, no zone).
 * - `text`: trimmed of TRIM_WHITESPACE on the legacy side; the archive stores it trimmed.
 * - `upperText`: trimmed and upper-cased (currency codes).
 */
export type CanonicalType =
  | { kind: 'int' }
  | { kind: 'rowversion' }
  | { kind: 'decimal'; scale: number }
  | { kind: 'date' }
  | { kind: 'localDateTime' }
  | { kind: 'text' }
  | { kind: 'upperText' };

export interface CanonicalColumn {
  /** Legacy column name. */
  legacy: string;
  /** Archive column name. */
  archive: string;
  type: CanonicalType;
}

/** The archive entities compared row by row. */
export type ArchiveEntity = 'order' | 'order_line' | 'invoice' | 'invoice_line';

/** The legacy tables behind the archive. */
export type ArchiveLegacyTable = 'Orders' | 'OrderLines' | 'Invoices' | 'InvoiceLines';
export const ARCHIVE_ENTITIES: ReadonlyArray<ArchiveEntity> = ['order', 'order_line', 'invoice', 'invoice_line'];

export interface CanonicalEntity {
  entity: ArchiveEntity;
  legacyTable: ArchiveLegacyTable;
  legacyKey: string;
  archiveTable: string;
  archiveKey: string;
  /**
   * Lines hang off a parent: they belong to the parent's partner, and key ranges are on the
   * parent key (the ranges the pipeline partitions by). Parents range on their own key.
   */
  parent?: { legacyTable: ArchiveLegacyTable; legacyKey: string; archiveTable: string; archiveKey: string };
  /** Legacy column / archive column of the range key (the parent key for lines). */
  rangeKey: { legacy: string; archive: string };
  /** Compared columns, key first. */
  columns: ReadonlyArray<CanonicalColumn>;
}

const int = { kind: 'int' } as const;
const text = { kind: 'text' } as const;
const money = { kind: 'decimal', scale: 4 } as const;
const rowversion = { kind: 'rowversion' } as const;
const col = (legacy: string, archive: string, type: CanonicalType): CanonicalColumn => ({ legacy, archive, type });

const ORDERS = {
  legacyTable: 'Orders',
  legacyKey: 'OrderId',
  archiveTable: 'archive.orders',
  archiveKey: 'legacy_order_id',
} as const;
const INVOICES = {
  legacyTable: 'Invoices',
  legacyKey: 'InvoiceId',
  archiveTable: 'archive.invoices',
  archiveKey: 'legacy_invoice_id',
} as const;

/**
 * Raw archive columns only: the mapped ones (ordered_at, marketplace_*, account_id,
 * licensee_id, billing_frequency, document_type) are checked by mapping fidelity.
 */
export const CANONICAL: Readonly<Record<ArchiveEntity, CanonicalEntity>> = {
  order: {
    entity: 'order',
    ...ORDERS,
    rangeKey: { legacy: 'OrderId', archive: 'legacy_order_id' },
    columns: [
      col('OrderId', 'legacy_order_id', int),
      col('OrderNumber', 'order_number', text),
      col('PartnerId', 'legacy_partner_id', int),
      col('CustomerId', 'legacy_customer_id', int),
      col('OrderType', 'order_type', text),
      col('Status', 'status', text),
      col('OrderDate', 'order_date_local', { kind: 'localDateTime' }),
      col('CurrencyCode', 'currency', { kind: 'upperText' }),
      col('TotalAmount', 'total_amount', money),
      col('PoNumber', 'po_number', text),
      col('CreatedBy', 'created_by', text),
      col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  order_line: {
    entity: 'order_line',
    legacyTable: 'OrderLines',
    legacyKey: 'OrderLineId',
    archiveTable: 'archive.order_lines',
    archiveKey: 'legacy_order_line_id',
    parent: ORDERS,
    rangeKey: { legacy: 'OrderId', archive: 'legacy_order_id' },
    columns: [
      col('OrderLineId', 'legacy_order_line_id', int),
      col('OrderId', 'legacy_order_id', int),
      col('LineNo', 'line_no', int),
      col('Sku', 'sku', text),
      col('ProductName', 'product_name', text),
      col('Quantity', 'quantity', int),
      col('UnitPrice', 'unit_price', money),
      col('LineTotal', 'line_total', money),
      col('BillingFrequency', 'billing_frequency_raw', text),
      col('TermMonths', 'term_months', int),
      col('SubscriptionRef', 'subscription_ref', text),
      col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  invoice: {
    entity: 'invoice',
    ...INVOICES,
    rangeKey: { legacy: 'InvoiceId', archive: 'legacy_invoice_id' },
    columns: [
      col('InvoiceId', 'legacy_invoice_id', int),
      col('InvoiceNumber', 'invoice_number', text),
      col('PartnerId', 'legacy_partner_id', int),
      col('DocumentType', 'document_type_raw', text),
      col('InvoiceDate', 'invoice_date', { kind: 'date' }),
      col('DueDate', 'due_date', { kind: 'date' }),
      col('CurrencyCode', 'currency', { kind: 'upperText' }),
      col('NetAmount', 'net_amount', money),
      col('TaxAmount', 'tax_amount', money),
      col('GrossAmount', 'gross_amount', money),
      col('Status', 'status', text),
      col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  invoice_line: {
    entity: 'invoice_line',
    legacyTable: 'InvoiceLines',
    legacyKey: 'InvoiceLineId',
    archiveTable: 'archive.invoice_lines',
    archiveKey: 'legacy_invoice_line_id',
    parent: INVOICES,
    rangeKey: { legacy: 'InvoiceId', archive: 'legacy_invoice_id' },
    columns: [
      col('InvoiceLineId', 'legacy_invoice_line_id', int),
      col('InvoiceId', 'legacy_invoice_id', int),
      col('OrderId', 'legacy_order_id', int),
      col('CustomerId', 'legacy_customer_id', int),
      col('Description', 'description', text),
      col('Quantity', 'quantity', { kind: 'decimal', scale: 4 }),
      col('UnitPrice', 'unit_price', money),
      col('Amount', 'amount', money),
      col('TaxRate', 'tax_rate', { kind: 'decimal', scale: 2 }),
      col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
};
