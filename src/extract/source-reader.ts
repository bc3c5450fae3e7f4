import type { ArchiveEntity, CanonicalRow, KeyChecksum, PartnerDigest, RangeChecksum } from '../core/canonical';
import type { LegacyEngineName } from '../core/config';
import type { KeyRange } from '../core/key-range';
import type { ScopedKeys } from '../core/scoped-keys';
import type {
  LegacyCustomer,
  LegacyInvoice,
  LegacyInvoiceLine,
  LegacyOrder,
  LegacyOrderLine,
  LegacyPartner,
  LegacyUser,
  PortalMode,
} from '../core/legacy-model';

/** One keyset page: the rows and the last key it covered (resume strictly after it). */
export interface Page<Row> {
  rows: Row[];
  cursor: number;
}

/** A page of orders (keyset on OrderId) with every line of those orders. */
export interface OrderPage extends Page<LegacyOrder> {
  lines: LegacyOrderLine[];
}

/** A page of invoices (keyset on InvoiceId) with every line of those invoices. */
export interface InvoicePage extends Page<LegacyInvoice> {
  lines: LegacyInvoiceLine[];
}

export interface StreamOptions {
  /** Source watermark: only rows with `RowVer <= watermark` are read. Decimal text. */
  watermark: string;
  /** Key range to read (a partition); default everything. */
  range?: KeyRange;
  /** Rows per page of the driving table. */
  batchSize: number;
}

/** Rows per legacy table for one partner, at a watermark. */
export interface PartnerRowCounts {
  partner: number;
  user: number;
  customer: number;
  order: number;
  order_line: number;
  invoice: number;
  invoice_line: number;
}

/** The archived tables, whose hard deletes the sync finds by comparing key sets. */
export type ArchivedTable = 'Orders' | 'OrderLines' | 'Invoices' | 'InvoiceLines';

/** A legacy row changed within a sync window (a line reported under its parent's key). */
export interface ChangedRow {
  table: LegacyTableName;
  partnerId: number;
  /** The key it is reported under (a line's parent's). */
  key: number;
  /** The row's own primary key. */
  rowKey: number;
  /** RowVer as decimal text. */
  rowVersion: string;
}

/** The count and exact sum (decimal text) of a partner's keys of one table. */
export interface KeyDigest {
  count: number;
  sum: string;
}

/** The legacy tables of a partner's account side. */
export type AccountTable = 'Partners' | 'PartnerUsers' | 'Customers';

/** The tables read for many partners at once, by keyset on their primary key. */
export type PartnersTable = AccountTable | 'Orders' | 'Invoices';

/** The account side of some partners: their partner rows, users and customers. */
export interface AccountRows {
  partners: LegacyPartner[];
  users: LegacyUser[];
  customers: LegacyCustomer[];
}

/** Every row of some partners: what a batch of small partners loads. Each table in key order. */
export interface PartnersRows extends AccountRows {
  orders: LegacyOrder[];
  orderLines: LegacyOrderLine[];
  invoices: LegacyInvoice[];
  invoiceLines: LegacyInvoiceLine[];
}

/**
 * The legacy database, read-only but for `Partners.PortalMode`. One implementation,
 * EngineSourceReader, over each engine's dialect (`mssql/`, `mariadb/`); everything
 * engine-specific (SQL dialect, driver types, error numbers) stays behind this contract. Rows
 * leave it validated against the schemas in `core/legacy-model.ts`. Streams are async
 * generators of keyset pages: memory holds one page, never the table, and the database holds
 * no long-lived result set.
 */
export interface SourceReader {
  readonly engine: LegacyEngineName;
  /**
   * The upper bound of a consistent read window: every row committed now or later has a
   * greater RowVer than any row read `<=` it (SQL Server `MIN_ACTIVE_ROWVERSION() - 1`).
   */
  watermark(): Promise<string>;
  /** Partner ids in key order, optionally only the given ones or the first `limit`. */
  listPartnerIds(options?: { ids?: number[]; limit?: number }): Promise<number[]>;
  readPartner(partnerId: number, watermark: string): Promise<LegacyPartner | undefined>;
  streamUsers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyUser>>;
  streamCustomers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyCustomer>>;
  streamOrders(partnerId: number, options: StreamOptions): AsyncGenerator<OrderPage>;
  streamInvoices(partnerId: number, options: StreamOptions): AsyncGenerator<InvoicePage>;
  /**
   * Split points for partitions of a partner's orders or invoices, each holding about
   * `rowsPerPartition` rows: `[k1, k2, ...]` gives ranges `(-, k1], (k1, k2], ..., (kn, -)`.
   */
  partitionBounds(
    entity: 'order' | 'invoice',
    partnerId: number,
    watermark: string,
    rowsPerPartition: number,
  ): Promise<number[]>;
  countPartnerRows(partnerId: number, watermark: string): Promise<PartnerRowCounts>;
  /** countPartnerRows for many partners in one grouped query per table (planning a wave of thousands). */
  countRowsByPartner(partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>>;
  /**
   * Reconciliation: per range, the count and exact sum of the row hashes of the canonical
   * projection (core/canonical/) of the partner's `entity` rows at the watermark, computed
   * inside the database. Ranges are on the range key (the parent key for lines); one result per
   * range, in order. With `keys`, only the rows whose range key is one of them (a scope's).
   */
  rangeChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    ranges: KeyRange[],
    keys?: ReadonlyArray<number>,
  ): Promise<RangeChecksum[]>;
  /** Reconciliation: each row's own key and row hash in one range (range key and `keys` as above), in key order. */
  keyChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    range: KeyRange,
    keys?: ReadonlyArray<number>,
  ): Promise<KeyChecksum[]>;
  /** Reconciliation: the canonical column texts of the rows with these keys. */
  readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]>;
  /**
   * Reconciliation of many partners at once, from one grouped scan: per partner, what
   * rangeChecksums gives for the whole key span, and for orders and invoices their money
   * (order totals; invoice net, tax and gross) per (currency, month), summed by the database.
   * A partner without rows is absent from the map. A partner in `scope` is digested over its
   * listed parent keys only (orders or invoices, and their lines), in the same statement.
   */
  partnerDigests(
    entity: ArchiveEntity,
    partnerIds: ReadonlyArray<number>,
    watermark: string,
    scope?: ScopedKeys,
  ): Promise<Map<number, PartnerDigest>>;
  /**
   * Reconciliation: the users and customers of many partners at the watermark, and their partner
   * rows as they are now (the pipeline's PortalMode writes change them after it), each in key order.
   */
  readAccountRows(partnerIds: ReadonlyArray<number>, watermark: string, batchSize: number): Promise<AccountRows>;
  /**
   * Every row of many partners at the watermark (a batch of small partners): one `PartnerId IN`
   * statement per table while its rows fit in `batchSize`, keyset pages beyond that.
   */
  readPartnersRows(partnerIds: ReadonlyArray<number>, watermark: string, batchSize: number): Promise<PartnersRows>;
  /**
   * The nightly sync: every row of every legacy table whose RowVer lies in `(after, upTo]`, as
   * (table, partner, key, RowVer); a line is reported under its parent's key (an order or an
   * invoice is applied with all its lines).
   */
  changedRows(after: string, upTo: string): Promise<ChangedRow[]>;
  /** Orders by key with every line of theirs, at the watermark. */
  readOrdersByKeys(
    keys: ReadonlyArray<number>,
    watermark: string,
  ): Promise<{ rows: LegacyOrder[]; lines: LegacyOrderLine[] }>;
  /** Orders by key without their lines, at the watermark. */
  readOrderRowsByKeys(keys: ReadonlyArray<number>, watermark: string): Promise<LegacyOrder[]>;
  /** Order lines by their own key, at the watermark. */
  readOrderLinesByKeys(keys: ReadonlyArray<number>, watermark: string): Promise<LegacyOrderLine[]>;
  /** Invoice lines by their own key, at the watermark. */
  readInvoiceLinesByKeys(keys: ReadonlyArray<number>, watermark: string): Promise<LegacyInvoiceLine[]>;
  /** Invoices by key with every line of theirs, at the watermark. */
  readInvoicesByKeys(
    keys: ReadonlyArray<number>,
    watermark: string,
  ): Promise<{ rows: LegacyInvoice[]; lines: LegacyInvoiceLine[] }>;
  /** Per partner, the count and sum of the keys of its rows of an archived table as they are now (no watermark: deletes). */
  keyDigests(table: ArchivedTable, partnerIds: ReadonlyArray<number>): Promise<Map<number, KeyDigest>>;
  /** The keys of a partner's rows of an archived table as they are now, in key order. */
  keysOfPartner(table: ArchivedTable, partnerId: number): Promise<number[]>;
  /** The pipeline's only legacy write. */
  setPortalMode(partnerId: number, mode: PortalMode): Promise<void>;
  close(): Promise<void>;
}

/** Administration of a legacy database for `ppm legacy init|seed` and tests; never used by a wave. */
export interface LegacyAdmin {
  readonly engine: LegacyEngineName;
  /**
   * Creates the database if needed and applies the legacy DDL when the tables are absent, with
   * ppm's marker table (`ppm_synthetic_portal`) when it creates every one of them.
   */
  applySchema(): Promise<void>;
  /** True when the Partners table holds no row (or does not exist). */
  isEmpty(): Promise<boolean>;
  /**
   * Drops every legacy table (and the RowVer sequence, and the marker) so the schema can be
   * applied anew. Refuses (RefusedError, nothing dropped) a database holding legacy tables
   * without ppm's marker: a real portal, not one ppm created.
   */
  reset(): Promise<void>;
  /** Bulk-inserts rows (legacy column names; explicit identity values) into one legacy table. */
  insertRows(table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  close(): Promise<void>;
}

export type LegacyTableName =
  'Partners' | 'PartnerUsers' | 'Customers' | 'Orders' | 'OrderLines' | 'Invoices' | 'InvoiceLines';
