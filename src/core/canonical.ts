import { hash } from 'node:crypto';

/**
 * The canonical projection that reconciliation hashes on both sides (PITFALLS.md,
 * "Reconciliation": hashing breaks on representation, not on data). Defined once, here:
 * every engine's SQL and the target's SQL build their canonical text from these specs, and
 * the transform trims exactly TRIM_WHITESPACE so the archive's stored text is the canonical
 * text of the legacy value.
 *
 * Canonical text of a row: the canonical text of each compared column, in spec order,
 * joined by FIELD_SEPARATOR; a NULL is NULL_MARKER. Row hash: the first 15 hex digits of
 * the MD5 of that text's UTF-8 bytes, as a 60-bit unsigned integer. A key range's checksum
 * is (row count, exact sum of the row hashes).
 */

/** What "trim" means everywhere: ASCII space, TAB, LF, CR, FF, VT — and nothing else (no NBSP). */
export const TRIM_WHITESPACE = [' ', '\t', '\n', '\r', '\f', '\v'] as const;

/** Between two column texts of a row (ASCII unit separator, CHAR(31)). */
export const FIELD_SEPARATOR = '\u001f';
/** Stands for NULL (ASCII record separator, CHAR(30)): NULL and '' stay different. */
export const NULL_MARKER = '\u001e';
/** Hex digits of the MD5 kept per row: 15 digits = 60 bits, so sums fit any engine's exact decimal. */
export const HASH_HEX_DIGITS = 15;

// TAB, LF, VT, FF, CR are 9..13: exactly TRIM_WHITESPACE with the space.
const isTrimmed = (code: number) => code === 32 || (code >= 9 && code <= 13);

/** Trims TRIM_WHITESPACE from both ends (unlike String.prototype.trim, which trims all Unicode white space). */
export function trimWhitespace(value: string): string {
  let end = value.length;
  if (end === 0 || (!isTrimmed(value.charCodeAt(0)) && !isTrimmed(value.charCodeAt(end - 1)))) return value;
  let start = 0;
  while (start < end && isTrimmed(value.charCodeAt(start))) start += 1;
  while (end > start && isTrimmed(value.charCodeAt(end - 1))) end -= 1;
  return value.slice(start, end);
}

/**
 * The type of a compared column, deciding its canonical text:
 * - `int`: decimal digits, optional minus. `rowversion`: the unsigned integer in decimal.
 * - `decimal`: fixed scale, `-12.3400` (scale 4); never a float.
 * - `date`: `YYYY-MM-DD`. `localDateTime`: `YYYY-MM-DD HH:MM:SS.fff` (wall-clock, no zone).
 * - `text`: trimmed of TRIM_WHITESPACE on the legacy side; the archive stores it trimmed.
 * - `upperText`: trimmed and upper-cased (currency codes).
 */
export type CanonicalType =
  | { kind: 'int' } | { kind: 'rowversion' } | { kind: 'decimal'; scale: number } | { kind: 'date' }
  | { kind: 'localDateTime' } | { kind: 'text' } | { kind: 'upperText' };

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

const ORDERS = { legacyTable: 'Orders', legacyKey: 'OrderId', archiveTable: 'archive.orders', archiveKey: 'legacy_order_id' } as const;
const INVOICES = { legacyTable: 'Invoices', legacyKey: 'InvoiceId', archiveTable: 'archive.invoices', archiveKey: 'legacy_invoice_id' } as const;

/**
 * Raw archive columns only: the mapped ones (ordered_at, marketplace_*, account_id,
 * licensee_id, billing_frequency, document_type) are checked by mapping fidelity.
 */
export const CANONICAL: Readonly<Record<ArchiveEntity, CanonicalEntity>> = {
  order: {
    entity: 'order', ...ORDERS, rangeKey: { legacy: 'OrderId', archive: 'legacy_order_id' },
    columns: [
      col('OrderId', 'legacy_order_id', int), col('OrderNumber', 'order_number', text), col('PartnerId', 'legacy_partner_id', int),
      col('CustomerId', 'legacy_customer_id', int), col('OrderType', 'order_type', text), col('Status', 'status', text),
      col('OrderDate', 'order_date_local', { kind: 'localDateTime' }), col('CurrencyCode', 'currency', { kind: 'upperText' }),
      col('TotalAmount', 'total_amount', money), col('PoNumber', 'po_number', text), col('CreatedBy', 'created_by', text),
      col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  order_line: {
    entity: 'order_line', legacyTable: 'OrderLines', legacyKey: 'OrderLineId', archiveTable: 'archive.order_lines',
    archiveKey: 'legacy_order_line_id', parent: ORDERS, rangeKey: { legacy: 'OrderId', archive: 'legacy_order_id' },
    columns: [
      col('OrderLineId', 'legacy_order_line_id', int), col('OrderId', 'legacy_order_id', int), col('LineNo', 'line_no', int),
      col('Sku', 'sku', text), col('ProductName', 'product_name', text), col('Quantity', 'quantity', int),
      col('UnitPrice', 'unit_price', money), col('LineTotal', 'line_total', money),
      col('BillingFrequency', 'billing_frequency_raw', text), col('TermMonths', 'term_months', int),
      col('SubscriptionRef', 'subscription_ref', text), col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  invoice: {
    entity: 'invoice', ...INVOICES, rangeKey: { legacy: 'InvoiceId', archive: 'legacy_invoice_id' },
    columns: [
      col('InvoiceId', 'legacy_invoice_id', int), col('InvoiceNumber', 'invoice_number', text), col('PartnerId', 'legacy_partner_id', int),
      col('DocumentType', 'document_type_raw', text), col('InvoiceDate', 'invoice_date', { kind: 'date' }),
      col('DueDate', 'due_date', { kind: 'date' }), col('CurrencyCode', 'currency', { kind: 'upperText' }),
      col('NetAmount', 'net_amount', money), col('TaxAmount', 'tax_amount', money), col('GrossAmount', 'gross_amount', money),
      col('Status', 'status', text), col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
  invoice_line: {
    entity: 'invoice_line', legacyTable: 'InvoiceLines', legacyKey: 'InvoiceLineId', archiveTable: 'archive.invoice_lines',
    archiveKey: 'legacy_invoice_line_id', parent: INVOICES, rangeKey: { legacy: 'InvoiceId', archive: 'legacy_invoice_id' },
    columns: [
      col('InvoiceLineId', 'legacy_invoice_line_id', int), col('InvoiceId', 'legacy_invoice_id', int), col('OrderId', 'legacy_order_id', int),
      col('CustomerId', 'legacy_customer_id', int), col('Description', 'description', text),
      col('Quantity', 'quantity', { kind: 'decimal', scale: 4 }), col('UnitPrice', 'unit_price', money), col('Amount', 'amount', money),
      col('TaxRate', 'tax_rate', { kind: 'decimal', scale: 2 }), col('RowVer', 'legacy_row_version', rowversion),
    ],
  },
};

/** One row's canonical column texts (NULL as null), in spec order. */
export type CanonicalValues = ReadonlyArray<string | null>;

/** The canonical text of a row from its canonical column texts. */
export function canonicalText(values: CanonicalValues): string {
  return values.map((value) => (value === null ? NULL_MARKER : value)).join(FIELD_SEPARATOR);
}

/**
 * Exact sum of many row hashes without a BigInt per row: each 60-bit hash is split into its
 * high 32 and low 28 bits, summed as doubles (exact up to 2^21 rows per half), and folded into
 * a BigInt every 2^20 rows: the same bits as rowHash, without a BigInt parsed from hex text per
 * row, which was most of the work of hashing a wave's few hundred thousand expected rows.
 */
export class RowHashSum {
  private high = 0;
  private low = 0;
  private pending = 0;
  private folded = 0n;
  count = 0;

  /** Adds the row hash of a canonical text. */
  add(text: string): void {
    // One character per byte ('binary', i.e. latin1): cheaper than a Buffer per row, which cost as much as the MD5.
    const digest = hash('md5', text, 'binary');
    // The first 15 hex digits: the 32 bits of bytes 0-3 and the 28 of bytes 4-6 and the high half of byte 7.
    this.high += digest.charCodeAt(0) * 0x1000000 + (digest.charCodeAt(1) << 16) + (digest.charCodeAt(2) << 8) + digest.charCodeAt(3);
    this.low += (digest.charCodeAt(4) << 20) + (digest.charCodeAt(5) << 12) + (digest.charCodeAt(6) << 4) + (digest.charCodeAt(7) >>> 4);
    this.count += 1;
    this.pending += 1;
    if (this.pending === 1 << 20) this.fold();
  }

  private fold(): void {
    this.folded += (BigInt(this.high) << 28n) + BigInt(this.low);
    this.high = 0;
    this.low = 0;
    this.pending = 0;
  }

  /** The exact sum, as decimal text. */
  total(): string {
    this.fold();
    return this.folded.toString();
  }
}

/** The 60-bit row hash of a canonical text, as decimal text (what the databases return). */
export function rowHash(text: string): string {
  return BigInt(`0x${hash('md5', text, 'hex').slice(0, HASH_HEX_DIGITS)}`).toString();
}

/** A key range's checksum: row count and the exact sum of row hashes (decimal text), with the keys it spans. */
export interface RangeChecksum {
  count: number;
  sum: string;
  minKey: number | null;
  maxKey: number | null;
}

/** A row's own key and its row hash. */
export interface KeyChecksum {
  key: number;
  hash: string;
}

/** A row's canonical column texts, by archive column name. */
export interface CanonicalRow {
  key: number;
  values: Record<string, string | null>;
}

/**
 * Range checksums from the grouped rows of either database (`bucket`, `n`, `total`, `min_key`,
 * `max_key`); a range no row fell into has count 0.
 */
export function toRangeChecksums(rangeCount: number, rows: ReadonlyArray<Record<string, unknown>>): RangeChecksum[] {
  const result: RangeChecksum[] = Array.from({ length: rangeCount }, () => ({ count: 0, sum: '0', minKey: null, maxKey: null }));
  for (const row of rows) {
    result[Number(row.bucket)] = {
      count: Number(row.n), sum: String(row.total ?? '0'),
      minKey: row.min_key === null || row.min_key === undefined ? null : Number(row.min_key),
      maxKey: row.max_key === null || row.max_key === undefined ? null : Number(row.max_key),
    };
  }
  return result;
}

/** Two checksums agree: same row count and same hash sum. */
export function sameChecksum(a: RangeChecksum, b: RangeChecksum): boolean {
  return a.count === b.count && a.sum === b.sum;
}

/** An empty checksum: what a partner without rows of an entity has. */
export const EMPTY_CHECKSUM: RangeChecksum = Object.freeze({ count: 0, sum: '0', minKey: null, maxKey: null });

/** A canonical row from a selected row of either database (`k`, then `c0`, `c1`, ... in the entity's column order). */
export function toCanonicalRow(entity: ArchiveEntity, row: Record<string, unknown>): CanonicalRow {
  const values: Record<string, string | null> = {};
  CANONICAL[entity].columns.forEach((column, index) => {
    const value = String(row[`c${index}`]);
    values[column.archive] = value === NULL_MARKER ? null : value;
  });
  return { key: Number(row.k), values };
}

/** Money of one partner per (entity, currency, month): orders carry `total`, invoices `net`, `tax`, `gross`. */
export interface MoneySum {
  entity: 'order' | 'invoice';
  currency: string;
  /** `YYYY-MM` of OrderDate (local) or InvoiceDate. */
  month: string;
  count: number;
  amounts: Record<string, string>;
}

/** The money of orders and invoices: summed per (currency, month of the date column) by both sides. */
export const MONEY: Readonly<Record<'order' | 'invoice', {
  /** `length`: the legacy column's (CHAR(3)), what a trimmed code can be at most. */
  currency: { legacy: string; archive: string; length: number };
  date: { legacy: string; archive: string };
  /** Amount name, legacy column, archive column; selected as a1, a2, a3 in this order. */
  amounts: ReadonlyArray<{ name: string; legacy: string; archive: string }>;
}>> = {
  order: {
    currency: { legacy: 'CurrencyCode', archive: 'currency', length: 3 }, date: { legacy: 'OrderDate', archive: 'order_date_local' },
    amounts: [{ name: 'total', legacy: 'TotalAmount', archive: 'total_amount' }],
  },
  invoice: {
    currency: { legacy: 'CurrencyCode', archive: 'currency', length: 3 }, date: { legacy: 'InvoiceDate', archive: 'invoice_date' },
    amounts: [
      { name: 'net', legacy: 'NetAmount', archive: 'net_amount' }, { name: 'tax', legacy: 'TaxAmount', archive: 'tax_amount' },
      { name: 'gross', legacy: 'GrossAmount', archive: 'gross_amount' },
    ],
  },
};

/** The money columns of an entity: orders' and invoices', none for lines. */
export function moneyColumns(entity: ArchiveEntity): (typeof MONEY)['order'] | undefined {
  return entity === 'order' || entity === 'invoice' ? MONEY[entity] : undefined;
}

/** What one grouped scan of an entity gives per partner: its rows' checksum and, for orders and invoices, money per (currency, month). */
export interface PartnerDigest {
  checksum: RangeChecksum;
  money: MoneySum[];
}

/** Adds one group (count, key span) into a partner's checksum; the hash sum is added by the caller, as a bigint. */
function addToChecksum(checksum: RangeChecksum, group: Readonly<Record<string, unknown>>): void {
  checksum.count += Number(group.n);
  if (group.min_key !== null && group.min_key !== undefined) {
    const min = Number(group.min_key);
    checksum.minKey = checksum.minKey === null ? min : Math.min(checksum.minKey, min);
  }
  if (group.max_key !== null && group.max_key !== undefined) {
    const max = Number(group.max_key);
    checksum.maxKey = checksum.maxKey === null ? max : Math.max(checksum.maxKey, max);
  }
}

/**
 * Digests per partner from the grouped rows of any database: `pid`, `n`, `total`, `min_key`,
 * `max_key`, and for orders and invoices (grouped by partner, currency and month) `currency`,
 * `month` and the amounts `a1`.. in MONEY's order, as exact text.
 */
export function toPartnerDigests(entity: ArchiveEntity, rows: ReadonlyArray<Record<string, unknown>>): Map<number, PartnerDigest> {
  const result = new Map<number, PartnerDigest>();
  // Hash sums kept as bigints until every group is in: text parsed and written once per group, not the running sum.
  const sums = new Map<PartnerDigest, bigint>();
  const money = moneyColumns(entity);
  for (const row of rows) {
    const partnerId = Number(row.pid);
    let digest = result.get(partnerId);
    if (!digest) {
      digest = { checksum: { count: 0, sum: '0', minKey: null, maxKey: null }, money: [] };
      result.set(partnerId, digest);
      sums.set(digest, 0n);
    }
    addToChecksum(digest.checksum, row);
    sums.set(digest, sums.get(digest)! + BigInt(String(row.total ?? '0')));
    if (money) {
      const amounts: Record<string, string> = {};
      money.amounts.forEach((amount, index) => {
        amounts[amount.name] = String(row[`a${index + 1}`] ?? '0');
      });
      digest.money.push({ entity: entity as 'order' | 'invoice', currency: String(row.currency), month: String(row.month), count: Number(row.n), amounts });
    }
  }
  for (const [digest, sum] of sums) digest.checksum.sum = sum.toString();
  return result;
}
