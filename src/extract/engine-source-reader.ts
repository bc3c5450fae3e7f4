import {
  EMPTY_CHECKSUM,
  toCanonicalRow,
  toPartnerDigests,
  toRangeChecksums,
  type ArchiveEntity,
  type CanonicalRow,
  type KeyChecksum,
  type PartnerDigest,
  type RangeChecksum,
} from '../core/canonical';
import type { LegacyEngineName } from '../core/config';
import { ContractViolationError } from '../core/errors';
import type { KeyRange } from '../core/key-range';
import type { ScopedKeys } from '../core/scoped-keys';
import type { LegacyCustomer, LegacyPartner, LegacyUser, PortalMode } from '../core/legacy-model';
import { gatherCounts } from './count-rows-by-partner';
import { withTranslatedErrors } from './driver-errors';
import type { EngineDialect } from './engine-dialect';
import { keysetPages, keysetPagesWithLines, type ReadKeyedPage, type ReadLines } from './keyset-pages';
import type { LineTable, PartitionedEntity, PartnerOwnedTable } from './legacy-keys';
import type { RawRow } from './row-converters';
import { SYNCED_TABLES, type ArchivedTable } from './sync-tables';
import type {
  AccountRows,
  ChangedRow,
  KeyDigest,
  PartnersRows,
  PartnersTable,
  InvoicePage,
  OrderPage,
  Page,
  PartnerRowCounts,
  SourceReader,
  StreamOptions,
} from './source-reader';

/** Keys (or partner ids) per statement of the sync's reads by key. */
const KEYS_PER_STATEMENT = 5_000;

/** Opens an engine's reader; a URL whose server does not answer fails here rather than mid-wave. */
export async function openEngineSourceReader<Db, Query>(
  dialect: EngineDialect<Db, Query>,
  url: string,
  poolSize?: number,
  queryTimeoutMs?: number,
): Promise<SourceReader> {
  const where = dialect.describeUrl(url);
  let db: Db;
  try {
    db = await dialect.connectReader(url, poolSize, queryTimeoutMs);
  } catch (error) {
    throw dialect.translateError(error, 'connect', where);
  }
  return new EngineSourceReader(dialect, db, where);
}

/** The legacy database through one engine's dialect; see SourceReader. */
export class EngineSourceReader<Db, Query> implements SourceReader {
  readonly engine: LegacyEngineName;

  constructor(
    private readonly dialect: EngineDialect<Db, Query>,
    private readonly db: Db,
    private readonly where: string,
  ) {
    this.engine = dialect.engine;
  }

  private run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return withTranslatedErrors(this.dialect.translateError, operation, this.where, work);
  }

  /**
   * The statement `build` spells, its rows decoded by `decode`; all inside `run`, so a refused
   * argument or a row that breaks its contract is reported like a failed read.
   */
  private query<T>(operation: string, build: () => Query, decode: (rows: RawRow[]) => T): Promise<T> {
    return this.run(operation, async () => decode(await this.dialect.selectRows(this.db, build())));
  }

  private partnerRows<Row>(
    table: PartnerOwnedTable,
    partnerId: number,
    watermark: string,
    convert: (raw: RawRow) => Row,
    what: string,
  ): ReadKeyedPage<Row> {
    return (range, limit) =>
      this.query(
        `read ${what} of partner ${partnerId}`,
        () => this.dialect.sql.buildPartnerRowsPageQuery(table, partnerId, range, watermark, limit),
        (rows) => rows.map(convert),
      );
  }

  private linesOf<Line>(
    table: LineTable,
    partnerId: number,
    watermark: string,
    convert: (raw: RawRow) => Line,
    what: string,
  ): ReadLines<Line> {
    return (range) =>
      this.query(
        `read ${what} of partner ${partnerId}`,
        () => this.dialect.sql.buildLinesOfParentsQuery(table, partnerId, range, watermark),
        (rows) => rows.map(convert),
      );
  }

  watermark(): Promise<string> {
    return this.query(
      'read the watermark',
      () => this.dialect.sql.buildReadWatermarkQuery(),
      (rows) => String(rows[0].watermark),
    );
  }

  async listPartnerIds(options: { ids?: number[]; limit?: number } = {}): Promise<number[]> {
    // `IN ()` is not SQL: no ids asked, none found.
    if (options.ids && options.ids.length === 0) return [];
    return this.query(
      'list partners',
      () => this.dialect.sql.buildListPartnerIdsQuery(options),
      (rows) => rows.map((row) => Number(row.PartnerId)),
    );
  }

  readPartner(partnerId: number, watermark: string): Promise<LegacyPartner | undefined> {
    return this.query(
      `read partner ${partnerId}`,
      () => this.dialect.sql.buildReadPartnerQuery(partnerId, watermark),
      ([raw]) => (raw === undefined ? undefined : this.dialect.converters.toLegacyPartner(raw)),
    );
  }

  streamUsers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyUser>> {
    const { converters } = this.dialect;
    const read = this.partnerRows('PartnerUsers', partnerId, options.watermark, converters.toLegacyUser, 'users');
    return keysetPages(read, (row) => row.UserId, options.range, options.batchSize);
  }

  streamCustomers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyCustomer>> {
    const { converters } = this.dialect;
    const read = this.partnerRows('Customers', partnerId, options.watermark, converters.toLegacyCustomer, 'customers');
    return keysetPages(read, (row) => row.CustomerId, options.range, options.batchSize);
  }

  streamOrders(partnerId: number, options: StreamOptions): AsyncGenerator<OrderPage> {
    const { converters } = this.dialect;
    const read = this.partnerRows('Orders', partnerId, options.watermark, converters.toLegacyOrder, 'orders');
    const lines = this.linesOf('OrderLines', partnerId, options.watermark, converters.toLegacyOrderLine, 'order lines');
    const { range, batchSize } = options;
    return keysetPagesWithLines(
      read,
      (row) => row.OrderId,
      lines,
      (line) => line.OrderId,
      range,
      batchSize,
    );
  }

  streamInvoices(partnerId: number, options: StreamOptions): AsyncGenerator<InvoicePage> {
    const { converters } = this.dialect;
    const read = this.partnerRows('Invoices', partnerId, options.watermark, converters.toLegacyInvoice, 'invoices');
    const lines = this.linesOf(
      'InvoiceLines',
      partnerId,
      options.watermark,
      converters.toLegacyInvoiceLine,
      'invoice lines',
    );
    const { range, batchSize } = options;
    return keysetPagesWithLines(
      read,
      (row) => row.InvoiceId,
      lines,
      (line) => line.InvoiceId,
      range,
      batchSize,
    );
  }

  partitionBounds(
    entity: PartitionedEntity,
    partnerId: number,
    watermark: string,
    rowsPerPartition: number,
  ): Promise<number[]> {
    if (!Number.isInteger(rowsPerPartition) || rowsPerPartition < 1) {
      return Promise.reject(new RangeError(`rowsPerPartition must be a positive integer, got ${rowsPerPartition}`));
    }
    return this.query(
      `split ${entity}s of partner ${partnerId}`,
      () => this.dialect.sql.buildPartitionBoundsQuery(entity, partnerId, watermark, rowsPerPartition),
      (rows) => rows.map((row) => Number(row.k)),
    );
  }

  countPartnerRows(partnerId: number, watermark: string): Promise<PartnerRowCounts> {
    // COUNT(*) may arrive as text: MariaDB's BIGINT through bigNumberStrings.
    return this.query(
      `count rows of partner ${partnerId}`,
      () => this.dialect.sql.buildCountPartnerRowsQuery(partnerId, watermark),
      ([row]) => ({
        partner: Number(row.partner),
        user: Number(row.user),
        customer: Number(row.customer),
        order: Number(row.order),
        order_line: Number(row.order_line),
        invoice: Number(row.invoice),
        invoice_line: Number(row.invoice_line),
      }),
    );
  }

  countRowsByPartner(partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>> {
    return this.run(`count rows of ${partnerIds.length} partners`, async () => {
      if (partnerIds.length === 0) return new Map<number, PartnerRowCounts>();
      const perTable = await Promise.all(
        this.dialect.sql
          .buildCountRowsByPartnerQueries(partnerIds, watermark)
          .map(async ({ entity, query }) => ({ entity, rows: await this.dialect.selectRows(this.db, query) })),
      );
      return gatherCounts(partnerIds, perTable);
    });
  }

  rangeChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    ranges: KeyRange[],
    keys?: ReadonlyArray<number>,
  ): Promise<RangeChecksum[]> {
    if (keys?.length === 0) return Promise.resolve(ranges.map(() => ({ ...EMPTY_CHECKSUM })));
    return this.query(
      `checksum ${entity}s of partner ${partnerId}`,
      () => this.dialect.sql.buildRangeChecksumsQuery(entity, partnerId, watermark, ranges, keys),
      (rows) => toRangeChecksums(ranges.length, rows),
    );
  }

  keyChecksums(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    range: KeyRange,
    keys?: ReadonlyArray<number>,
  ): Promise<KeyChecksum[]> {
    if (keys?.length === 0) return Promise.resolve([]);
    return this.query(
      `checksum ${entity} keys of partner ${partnerId}`,
      () => this.dialect.sql.buildKeyChecksumsQuery(entity, partnerId, watermark, range, keys),
      (rows) => rows.map((row) => ({ key: Number(row.k), hash: String(row.h) })),
    );
  }

  async readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
    if (keys.length === 0) return [];
    return this.query(
      `read canonical ${entity} rows`,
      () => this.dialect.sql.buildReadCanonicalRowsQuery(entity, keys),
      (rows) => rows.map((row) => toCanonicalRow(entity, row)),
    );
  }

  async partnerDigests(
    entity: ArchiveEntity,
    partnerIds: ReadonlyArray<number>,
    watermark: string,
    scope?: ScopedKeys,
  ): Promise<Map<number, PartnerDigest>> {
    const read = partnerIds.filter((id) => (scope?.get(id)?.length ?? 1) > 0);
    if (read.length === 0) return new Map();
    return this.query(
      `checksum ${entity}s of ${partnerIds.length} partners`,
      () => this.dialect.sql.buildPartnerDigestsQuery(entity, read, watermark, scope),
      (rows) => toPartnerDigests(entity, rows),
    );
  }

  /** A keyset page of the rows of many partners. */
  private rowsOfPartners<Row>(
    table: PartnersTable,
    partnerIds: ReadonlyArray<number>,
    watermark: string | null,
    convert: (raw: RawRow) => Row,
  ): ReadKeyedPage<Row> {
    return (range, limit) =>
      this.query(
        `read ${table} of ${partnerIds.length} partners`,
        () => this.dialect.sql.buildRowsOfPartnersPageQuery(table, partnerIds, range, watermark, limit),
        (rows) => rows.map(convert),
      );
  }

  private async readAllOfPartners<Row>(
    table: PartnersTable,
    partnerIds: ReadonlyArray<number>,
    watermark: string | null,
    convert: (raw: RawRow) => Row,
    keyOf: (row: Row) => number,
    batchSize: number,
  ): Promise<Row[]> {
    const rows: Row[] = [];
    const read = this.rowsOfPartners(table, partnerIds, watermark, convert);
    for await (const page of keysetPages(read, keyOf, undefined, batchSize)) rows.push(...page.rows);
    return rows;
  }

  /** Parents of many partners with their lines, page by page. */
  private async readAllWithLines<Row, Line>(
    table: 'Orders' | 'Invoices',
    lineTable: LineTable,
    partnerIds: ReadonlyArray<number>,
    watermark: string,
    convert: (raw: RawRow) => Row,
    keyOf: (row: Row) => number,
    convertLine: (raw: RawRow) => Line,
    parentKeyOf: (line: Line) => number,
    batchSize: number,
  ): Promise<{ rows: Row[]; lines: Line[] }> {
    const readLines: ReadLines<Line> = (range) =>
      this.query(
        `read ${lineTable} of ${partnerIds.length} partners`,
        () => this.dialect.sql.buildLinesOfPartnersQuery(lineTable, partnerIds, range, watermark),
        (rows) => rows.map(convertLine),
      );
    const read = this.rowsOfPartners(table, partnerIds, watermark, convert);
    const rows: Row[] = [];
    const lines: Line[] = [];
    for await (const page of keysetPagesWithLines(read, keyOf, readLines, parentKeyOf, undefined, batchSize)) {
      rows.push(...page.rows);
      lines.push(...page.lines);
    }
    return { rows, lines };
  }

  readAccountRows(partnerIds: ReadonlyArray<number>, watermark: string, batchSize: number): Promise<AccountRows> {
    // The partner row as it is now: the pipeline's own PortalMode write moves its RowVer past
    // the watermark of the run that loaded it, and partners are never deleted.
    return this.readAccount(partnerIds, null, watermark, batchSize);
  }

  private async readAccount(
    partnerIds: ReadonlyArray<number>,
    partnersWatermark: string | null,
    watermark: string,
    batchSize: number,
  ): Promise<AccountRows> {
    if (partnerIds.length === 0) return { partners: [], users: [], customers: [] };
    const { converters } = this.dialect;
    const [partners, users, customers] = await Promise.all([
      this.readAllOfPartners(
        'Partners',
        partnerIds,
        partnersWatermark,
        converters.toLegacyPartner,
        (r) => r.PartnerId,
        batchSize,
      ),
      this.readAllOfPartners(
        'PartnerUsers',
        partnerIds,
        watermark,
        converters.toLegacyUser,
        (r) => r.UserId,
        batchSize,
      ),
      this.readAllOfPartners(
        'Customers',
        partnerIds,
        watermark,
        converters.toLegacyCustomer,
        (r) => r.CustomerId,
        batchSize,
      ),
    ]);
    return { partners, users, customers };
  }

  async readPartnersRows(
    partnerIds: ReadonlyArray<number>,
    watermark: string,
    batchSize: number,
  ): Promise<PartnersRows> {
    const { converters } = this.dialect;
    const [account, orders, invoices] = await Promise.all([
      // A load reads the partner at the watermark, as every other row.
      this.readAccount(partnerIds, watermark, watermark, batchSize),
      partnerIds.length === 0
        ? { rows: [], lines: [] }
        : this.readAllWithLines(
            'Orders',
            'OrderLines',
            partnerIds,
            watermark,
            converters.toLegacyOrder,
            (row) => row.OrderId,
            converters.toLegacyOrderLine,
            (line) => line.OrderId,
            batchSize,
          ),
      partnerIds.length === 0
        ? { rows: [], lines: [] }
        : this.readAllWithLines(
            'Invoices',
            'InvoiceLines',
            partnerIds,
            watermark,
            converters.toLegacyInvoice,
            (row) => row.InvoiceId,
            converters.toLegacyInvoiceLine,
            (line) => line.InvoiceId,
            batchSize,
          ),
    ]);
    return {
      ...account,
      orders: orders.rows,
      orderLines: orders.lines,
      invoices: invoices.rows,
      invoiceLines: invoices.lines,
    };
  }

  async changedRows(after: string, upTo: string): Promise<ChangedRow[]> {
    const perTable = await Promise.all(
      SYNCED_TABLES.map((table) =>
        this.query(
          `read the ${table} rows changed after a watermark`,
          () => this.dialect.sql.buildChangedRowsQuery(table, after, upTo),
          (rows) =>
            rows.map((row): ChangedRow => ({
              table,
              partnerId: Number(row.p),
              key: Number(row.k),
              rowKey: Number(row.r),
              rowVersion: String(row.v),
            })),
        ),
      ),
    );
    return perTable.flat();
  }

  readOrdersByKeys(keys: ReadonlyArray<number>, watermark: string) {
    const { converters } = this.dialect;
    return this.readByKeysWithLines(
      'Orders',
      'OrderLines',
      keys,
      watermark,
      converters.toLegacyOrder,
      converters.toLegacyOrderLine,
    );
  }

  readInvoicesByKeys(keys: ReadonlyArray<number>, watermark: string) {
    const { converters } = this.dialect;
    return this.readByKeysWithLines(
      'Invoices',
      'InvoiceLines',
      keys,
      watermark,
      converters.toLegacyInvoice,
      converters.toLegacyInvoiceLine,
    );
  }

  readOrderRowsByKeys(keys: ReadonlyArray<number>, watermark: string) {
    return this.readByKeys('Orders', keys, watermark, this.dialect.converters.toLegacyOrder);
  }

  readOrderLinesByKeys(keys: ReadonlyArray<number>, watermark: string) {
    return this.readByKeys('OrderLines', keys, watermark, this.dialect.converters.toLegacyOrderLine);
  }

  readInvoiceLinesByKeys(keys: ReadonlyArray<number>, watermark: string) {
    return this.readByKeys('InvoiceLines', keys, watermark, this.dialect.converters.toLegacyInvoiceLine);
  }

  private async readByKeys<Row>(
    table: 'Orders' | 'Invoices' | LineTable,
    keys: ReadonlyArray<number>,
    watermark: string,
    convert: (raw: RawRow) => Row,
  ): Promise<Row[]> {
    const rows: Row[] = [];
    for (let at = 0; at < keys.length; at += KEYS_PER_STATEMENT) {
      const some = keys.slice(at, at + KEYS_PER_STATEMENT);
      const found = await this.query(
        `read ${some.length} ${table} by key`,
        () => this.dialect.sql.buildRowsByKeysQuery(table, some, watermark),
        (raw) => raw.map(convert),
      );
      // One at a time: a spread of a whole statement's rows would overflow the call stack.
      for (const row of found) rows.push(row);
    }
    return rows;
  }

  private async readByKeysWithLines<Row, Line>(
    table: 'Orders' | 'Invoices',
    lineTable: LineTable,
    keys: ReadonlyArray<number>,
    watermark: string,
    convert: (raw: RawRow) => Row,
    convertLine: (raw: RawRow) => Line,
  ): Promise<{ rows: Row[]; lines: Line[] }> {
    const rows: Row[] = [];
    const lines: Line[] = [];
    for (let at = 0; at < keys.length; at += KEYS_PER_STATEMENT) {
      const some = keys.slice(at, at + KEYS_PER_STATEMENT);
      const [found, foundLines] = await Promise.all([
        this.query(
          `read ${some.length} ${table} by key`,
          () => this.dialect.sql.buildRowsByKeysQuery(table, some, watermark),
          (raw) => raw.map(convert),
        ),
        this.query(
          `read the ${lineTable} of ${some.length} ${table}`,
          () => this.dialect.sql.buildLinesOfParentKeysQuery(lineTable, some, watermark),
          (raw) => raw.map(convertLine),
        ),
      ]);
      // One at a time: a spread of a whole statement's rows would overflow the call stack.
      for (const row of found) rows.push(row);
      for (const line of foundLines) lines.push(line);
    }
    return { rows, lines };
  }

  async keyDigests(table: ArchivedTable, partnerIds: ReadonlyArray<number>): Promise<Map<number, KeyDigest>> {
    const digests = new Map<number, KeyDigest>();
    for (let at = 0; at < partnerIds.length; at += KEYS_PER_STATEMENT) {
      const some = partnerIds.slice(at, at + KEYS_PER_STATEMENT);
      const rows = await this.query(
        `read the ${table} key digests of ${some.length} partners`,
        () => this.dialect.sql.buildKeyDigestsQuery(table, some),
        (raw) => raw,
      );
      for (const row of rows) digests.set(Number(row.p), { count: Number(row.n), sum: String(row.s ?? '0') });
    }
    return digests;
  }

  keysOfPartner(table: ArchivedTable, partnerId: number): Promise<number[]> {
    return this.query(
      `read the ${table} keys of partner ${partnerId}`,
      () => this.dialect.sql.buildKeysOfPartnerQuery(table, partnerId),
      (rows) => rows.map((row) => Number(row.k)),
    );
  }

  /** The pipeline's only legacy write; a partner that is not there is an error, not a no-op. */
  setPortalMode(partnerId: number, mode: PortalMode): Promise<void> {
    return this.run(`set PortalMode of partner ${partnerId}`, async () => {
      const matched = await this.dialect.execute(this.db, this.dialect.sql.buildUpdatePortalModeQuery(partnerId, mode));
      if (matched !== 1) throw new ContractViolationError(`legacy partner ${partnerId} not found; PortalMode not set`);
    });
  }

  async close(): Promise<void> {
    await this.dialect.close(this.db);
  }
}
