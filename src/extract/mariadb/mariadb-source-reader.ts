import type { Pool } from 'mysql2/promise';
import type { ArchiveEntity, CanonicalRow, KeyChecksum, MoneySum, RangeChecksum } from '../../core/canonical';
import type { LegacyCustomer, LegacyPartner, LegacyUser, PortalMode } from '../../core/legacy-model';
import type {
  InvoicePage, KeyRange, OrderPage, Page, PartnerRowCounts, SourceReader, StreamOptions,
} from '../source-reader';
import { createMariaDbPool, describeMariaDbUrl } from './connect';
import {
  toLegacyCustomer, toLegacyInvoice, toLegacyInvoiceLine, toLegacyOrder, toLegacyOrderLine, toLegacyPartner, toLegacyUser,
} from './convert-row';
import { keysetPages, keysetPagesWithLines } from '../keyset-pages';
import { countPartnerRows } from './sql/count-partner-rows';
import { countRowsByPartner } from './sql/count-rows-by-partner';
import { listKeys } from './sql/list-keys';
import { listPartnerIds } from './sql/list-partner-ids';
import { readMoneySums } from './sql/money-sums';
import { readKeyChecksums, readRangeChecksums } from './sql/range-checksums';
import { readCanonicalRows } from './sql/read-canonical-rows';
import { readLinesOfParents } from './sql/read-lines-of-parents';
import { readPartitionBounds } from './sql/read-partition-bounds';
import { readPartner } from './sql/read-partner';
import { readPartnerRowsPage } from './sql/read-partner-rows-page';
import { readWatermark } from './sql/read-watermark';
import { updatePortalMode } from './sql/update-portal-mode';
import { translateMariaDbError } from './translate-error';

export interface MariaDbSourceReaderOptions {
  /** mysql2 pool size; default 4. */
  connectionLimit?: number;
}

/** The legacy database on the MariaDB stand-in; see SourceReader. */
export class MariaDbSourceReader implements SourceReader {
  readonly engine = 'mariadb' as const;

  private constructor(private readonly pool: Pool, private readonly where: string) {}

  /** Opens the pool and checks the server answers, so a bad URL fails here rather than mid-wave. */
  static async open(url: string, options: MariaDbSourceReaderOptions = {}): Promise<MariaDbSourceReader> {
    const where = describeMariaDbUrl(url);
    const pool = createMariaDbPool(url, { connectionLimit: options.connectionLimit });
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw translateMariaDbError(error, 'connect', where);
    }
    return new MariaDbSourceReader(pool, where);
  }

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateMariaDbError(error, operation, this.where);
    }
  }

  watermark(): Promise<string> {
    return this.run('read the watermark', () => readWatermark(this.pool));
  }

  listPartnerIds(options?: { ids?: number[]; limit?: number }): Promise<number[]> {
    return this.run('list partners', () => listPartnerIds(this.pool, options));
  }

  readPartner(partnerId: number, watermark: string): Promise<LegacyPartner | undefined> {
    return this.run(`read partner ${partnerId}`, async () => {
      const raw = await readPartner(this.pool, partnerId, watermark);
      return raw === undefined ? undefined : toLegacyPartner(raw);
    });
  }

  streamUsers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyUser>> {
    const read = (range: KeyRange, limit: number) => this.run(`read users of partner ${partnerId}`, async () =>
      (await readPartnerRowsPage(this.pool, 'PartnerUsers', partnerId, range, options.watermark, limit)).map(toLegacyUser));
    return keysetPages(read, (row) => row.UserId, options.range, options.batchSize);
  }

  streamCustomers(partnerId: number, options: StreamOptions): AsyncGenerator<Page<LegacyCustomer>> {
    const read = (range: KeyRange, limit: number) => this.run(`read customers of partner ${partnerId}`, async () =>
      (await readPartnerRowsPage(this.pool, 'Customers', partnerId, range, options.watermark, limit)).map(toLegacyCustomer));
    return keysetPages(read, (row) => row.CustomerId, options.range, options.batchSize);
  }

  streamOrders(partnerId: number, options: StreamOptions): AsyncGenerator<OrderPage> {
    const read = (range: KeyRange, limit: number) => this.run(`read orders of partner ${partnerId}`, async () =>
      (await readPartnerRowsPage(this.pool, 'Orders', partnerId, range, options.watermark, limit)).map(toLegacyOrder));
    const readLines = (range: KeyRange) => this.run(`read order lines of partner ${partnerId}`, async () =>
      (await readLinesOfParents(this.pool, 'OrderLines', partnerId, range, options.watermark)).map(toLegacyOrderLine));
    return keysetPagesWithLines(read, (row) => row.OrderId, readLines, (line) => line.OrderId, options.range, options.batchSize);
  }

  streamInvoices(partnerId: number, options: StreamOptions): AsyncGenerator<InvoicePage> {
    const read = (range: KeyRange, limit: number) => this.run(`read invoices of partner ${partnerId}`, async () =>
      (await readPartnerRowsPage(this.pool, 'Invoices', partnerId, range, options.watermark, limit)).map(toLegacyInvoice));
    const readLines = (range: KeyRange) => this.run(`read invoice lines of partner ${partnerId}`, async () =>
      (await readLinesOfParents(this.pool, 'InvoiceLines', partnerId, range, options.watermark)).map(toLegacyInvoiceLine));
    return keysetPagesWithLines(read, (row) => row.InvoiceId, readLines, (line) => line.InvoiceId, options.range, options.batchSize);
  }

  partitionBounds(entity: 'order' | 'invoice', partnerId: number, watermark: string, rowsPerPartition: number): Promise<number[]> {
    if (!Number.isInteger(rowsPerPartition) || rowsPerPartition < 1) {
      return Promise.reject(new RangeError(`rowsPerPartition must be a positive integer, got ${rowsPerPartition}`));
    }
    return this.run(`split ${entity}s of partner ${partnerId}`, () => readPartitionBounds(this.pool, entity, partnerId, watermark, rowsPerPartition));
  }

  countPartnerRows(partnerId: number, watermark: string): Promise<PartnerRowCounts> {
    return this.run(`count rows of partner ${partnerId}`, () => countPartnerRows(this.pool, partnerId, watermark));
  }

  countRowsByPartner(partnerIds: number[], watermark: string): Promise<Map<number, PartnerRowCounts>> {
    return this.run(`count rows of ${partnerIds.length} partners`, () => countRowsByPartner(this.pool, partnerIds, watermark));
  }

  rangeChecksums(entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[]): Promise<RangeChecksum[]> {
    return this.run(`checksum ${entity}s of partner ${partnerId}`, () => readRangeChecksums(this.pool, entity, partnerId, watermark, ranges));
  }

  keyChecksums(entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): Promise<KeyChecksum[]> {
    return this.run(`checksum ${entity} keys of partner ${partnerId}`, () => readKeyChecksums(this.pool, entity, partnerId, watermark, range));
  }

  readCanonicalRows(entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
    return this.run(`read canonical ${entity} rows`, () => readCanonicalRows(this.pool, entity, keys));
  }

  moneySums(partnerId: number, watermark: string): Promise<MoneySum[]> {
    return this.run(`sum money of partner ${partnerId}`, () => readMoneySums(this.pool, partnerId, watermark));
  }

  listKeys(entity: 'partner' | 'user' | 'customer', partnerId: number, watermark: string): Promise<number[]> {
    return this.run(`list ${entity} keys of partner ${partnerId}`, () => listKeys(this.pool, entity, partnerId, watermark));
  }

  setPortalMode(partnerId: number, mode: PortalMode): Promise<void> {
    return this.run(`set PortalMode of partner ${partnerId}`, () => updatePortalMode(this.pool, partnerId, mode));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
