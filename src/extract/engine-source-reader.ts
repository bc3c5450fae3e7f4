import type { ArchiveEntity, CanonicalRow, KeyChecksum, PartnerDigest, RangeChecksum } from '../core/canonical';
import type { LegacyEngineName } from '../core/config';
import type { LegacyCustomer, LegacyPartner, LegacyUser, PortalMode } from '../core/legacy-model';
import { keysetPages, keysetPagesWithLines } from './keyset-pages';
import type { RawRow, RowConverters } from './row-converters';
import type {
  AccountRows, AccountTable, InvoicePage, KeyRange, OrderPage, Page, PartnerRowCounts, SourceReader, StreamOptions,
} from './source-reader';

/**
 * What an engine supplies: its statements (each taking the engine's connection first), its row
 * converters, and the translation of its driver errors. Everything else a SourceReader does is
 * the same on every engine and lives in EngineSourceReader (knex's "override only what differs").
 */
export interface EngineDialect<Db> {
  engine: LegacyEngineName;
  converters: RowConverters;
  translateError(error: unknown, operation: string, where: string): Error;
  close(db: Db): Promise<void>;
  readWatermark(db: Db): Promise<string>;
  listPartnerIds(db: Db, options?: { ids?: number[]; limit?: number }): Promise<number[]>;
  readPartner(db: Db, partnerId: number, watermark: string): Promise<RawRow | undefined>;
  readPartnerRowsPage(
    db: Db, table: 'PartnerUsers' | 'Customers' | 'Orders' | 'Invoices', partnerId: number, range: KeyRange | undefined, watermark: string, limit: number,
  ): Promise<RawRow[]>;
  readLinesOfParents(db: Db, table: 'OrderLines' | 'InvoiceLines', partnerId: number, range: KeyRange, watermark: string): Promise<RawRow[]>;
  readPartitionBounds(db: Db, entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number): Promise<number[]>;
  countPartnerRows(db: Db, partnerId: number, watermark: string): Promise<PartnerRowCounts>;
  countRowsByPartner(db: Db, partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>>;
  readRangeChecksums(db: Db, entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[]): Promise<RangeChecksum[]>;
  readKeyChecksums(db: Db, entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): Promise<KeyChecksum[]>;
  readCanonicalRows(db: Db, entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]>;
  readPartnerDigests(db: Db, entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string): Promise<Map<number, PartnerDigest>>;
  readRowsOfPartnersPage(db: Db, table: AccountTable, partnerIds: ReadonlyArray<number>, range: KeyRange, watermark: string, limit: number): Promise<RawRow[]>;
  updatePortalMode(db: Db, partnerId: number, mode: PortalMode): Promise<void>;
}

/** The legacy database through one engine's dialect; see SourceReader. */
export class EngineSourceReader<Db> implements SourceReader {
  readonly engine: LegacyEngineName;

  constructor(private readonly dialect: EngineDialect<Db>, private readonly db: Db, private readonly where: string) {
    this.engine = dialect.engine;
  }

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.dialect.translateError(error, operation, this.where);
    }
  }

  watermark(): Promise<string> {
    return this.run('read the watermark', () => this.dialect.readWatermark(this.db));
  }

  listPartnerIds(options?: { ids?: number[]; limit?: number }): Promise<number[]> {
    return this.run('list partners', () => this.dialect.listPartnerIds(this.db, options));
  }

  readPartner(partnerId: number, watermark: string): Promise<LegacyPartner | undefined> {
    return this.run(`read partner ${partnerId}`, async () => {
      const raw = await this.dialect.readPartner(this.db, partnerId, watermark);
      return raw === undefined ? undefined : this.dialect.converters.toLegacyPartner(raw);
    });
  }

  streamUsers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyUser>> {
    const { converters } = this.dialect;
    const read = (range: KeyRange, limit: number) => this.run(`read users of partner ${partnerId}`, async () =>
      (await this.dialect.readPartnerRowsPage(this.db, 'PartnerUsers', partnerId, range, options.watermark, limit)).map(converters.toLegacyUser));
    return keysetPages(read, (row) => row.UserId, options.range, options.batchSize);
  }

  streamCustomers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyCustomer>> {
    const { converters } = this.dialect;
    const read = (range: KeyRange, limit: number) => this.run(`read customers of partner ${partnerId}`, async () =>
      (await this.dialect.readPartnerRowsPage(this.db, 'Customers', partnerId, range, options.watermark, limit)).map(converters.toLegacyCustomer));
    return keysetPages(read, (row) => row.CustomerId, options.range, options.batchSize);
  }

  streamOrders(partnerId: number, options: StreamOptions): AsyncGenerator<OrderPage> {
    const { converters } = this.dialect;
    const read = (range: KeyRange, limit: number) => this.run(`read orders of partner ${partnerId}`, async () =>
      (await this.dialect.readPartnerRowsPage(this.db, 'Orders', partnerId, range, options.watermark, limit)).map(converters.toLegacyOrder));
    const readLines = (range: KeyRange) => this.run(`read order lines of partner ${partnerId}`, async () =>
      (await this.dialect.readLinesOfParents(this.db, 'OrderLines', partnerId, range, options.watermark)).map(converters.toLegacyOrderLine));
    return keysetPagesWithLines(read, (row) => row.OrderId, readLines, (line) => line.OrderId, options.range, options.batchSize);
  }

  streamInvoices(partnerId: number, options: StreamOptions): AsyncGenerator<InvoicePage> {
    const { converters } = this.dialect;
    const read = (range: KeyRange, limit: number) => this.run(`read invoices of partner ${partnerId}`, async () =>
      (await this.dialect.readPartnerRowsPage(this.db, 'Invoices', partnerId, range, options.watermark, limit)).map(converters.toLegacyInvoice));
    const readLines = (range: KeyRange) => this.run(`read invoice lines of partner ${partnerId}`, async () =>
      (await this.dialect.readLinesOfParents(this.db, 'InvoiceLines', partnerId, range, options.watermark)).map(converters.toLegacyInvoiceLine));
    return keysetPagesWithLines(read, (row) => row.InvoiceId, readLines, (line) => line.InvoiceId, options.range, options.batchSize);
  }

  partitionBounds(entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number): Promise<number[]> {
    if (!Number.isInteger(rowsPerPartition) || rowsPerPartition < 1) {
      return Promise.reject(new RangeError(`rowsPerPartition must be a positive integer, got ${rowsPerPartition}`));
    }
    return this.run(`split ${entity}s of partner ${partnerId}`, () => this.dialect.readPartitionBounds(this.db, entity, partnerId, watermark, rowsPerPartition));
  }

  countPartnerRows(partnerId: number, watermark: string): Promise<PartnerRowCounts> {
    return this.run(`count rows of partner ${partnerId}`, () => this.dialect.countPartnerRows(this.db, partnerId, watermark));
  }

  countRowsByPartner(partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>> {
    return this.run(`count rows of ${partnerIds.length} partners`, () => this.dialect.countRowsByPartner(this.db, partnerIds, watermark));
  }

  rangeChecksums(entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[]): Promise<RangeChecksum[]> {
    return this.run(`checksum ${entity}s of partner ${partnerId}`, () => this.dialect.readRangeChecksums(this.db, entity, partnerId, watermark, ranges));
  }

  keyChecksums(entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): Promise<KeyChecksum[]> {
    return this.run(`checksum ${entity} keys of partner ${partnerId}`, () => this.dialect.readKeyChecksums(this.db, entity, partnerId, watermark, range));
  }

  readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
    return this.run(`read canonical ${entity} rows`, () => this.dialect.readCanonicalRows(this.db, entity, keys));
  }

  partnerDigests(entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string): Promise<Map<number, PartnerDigest>> {
    return this.run(`checksum ${entity}s of ${partnerIds.length} partners`, () => this.dialect.readPartnerDigests(this.db, entity, partnerIds, watermark));
  }

  async readAccountRows(partnerIds: ReadonlyArray<number>, watermark: string, batchSize: number): Promise<AccountRows> {
    if (partnerIds.length === 0) return { partners: [], users: [], customers: [] };
    const { converters } = this.dialect;
    const readAll = async <Row>(table: AccountTable, convert: (raw: RawRow) => Row, keyOf: (row: Row) => number): Promise<Row[]> => {
      const read = (range: KeyRange, limit: number) => this.run(`read ${table} of ${partnerIds.length} partners`, async () =>
        (await this.dialect.readRowsOfPartnersPage(this.db, table, partnerIds, range, watermark, limit)).map(convert));
      const rows: Row[] = [];
      for await (const page of keysetPages(read, keyOf, undefined, batchSize)) rows.push(...page.rows);
      return rows;
    };
    const [partners, users, customers] = await Promise.all([
      readAll('Partners', converters.toLegacyPartner, (row) => row.PartnerId),
      readAll('PartnerUsers', converters.toLegacyUser, (row) => row.UserId),
      readAll('Customers', converters.toLegacyCustomer, (row) => row.CustomerId),
    ]);
    return { partners, users, customers };
  }

  setPortalMode(partnerId: number, mode: PortalMode): Promise<void> {
    return this.run(`set PortalMode of partner ${partnerId}`, () => this.dialect.updatePortalMode(this.db, partnerId, mode));
  }

  async close(): Promise<void> {
    await this.dialect.close(this.db);
  }
}
