import type { ArchiveEntity } from '../core/canonical';
import type { LegacyEngineName } from '../core/config';
import type { KeyRange } from '../core/key-range';
import type { ScopedKeys } from '../core/scoped-keys';
import type { PortalMode } from '../core/legacy-model';
import type { LineTable, PartitionedEntity, PartnerOwnedTable } from './legacy-keys';
import type { RawRow, RowConverters } from './row-converters';
import type { ArchivedTable } from './sync-tables';
import type { LegacyTableName, PartnerRowCounts, PartnersTable } from './source-reader';

/**
 * An engine's `sql/` folder: builders that spell each statement of the shared reader in the
 * engine's SQL (pinned side by side, without a server, by test/unit/extract/dialect-sql.test.ts),
 * and the administration statements, whose steps differ too much between engines to share.
 */
export interface EngineSql<Db, Query> {
  buildReadWatermarkQuery(): Query;
  buildListPartnerIdsQuery(options?: { ids?: number[]; limit?: number }): Query;
  buildReadPartnerQuery(partnerId: number, watermark: string): Query;
  buildPartnerRowsPageQuery(
    table: PartnerOwnedTable,
    partnerId: number,
    range: KeyRange | undefined,
    watermark: string,
    limit: number,
  ): Query;
  buildLinesOfParentsQuery(table: LineTable, partnerId: number, range: KeyRange, watermark: string): Query;
  buildLinesOfPartnersQuery(
    table: LineTable,
    partnerIds: ReadonlyArray<number>,
    range: KeyRange,
    watermark: string,
  ): Query;
  buildPartitionBoundsQuery(
    entity: PartitionedEntity,
    partnerId: number,
    watermark: string,
    rowsPerPartition: number,
  ): Query;
  buildCountPartnerRowsQuery(partnerId: number, watermark: string): Query;
  buildCountRowsByPartnerQueries(
    partnerIds: number[],
    watermark: string,
  ): { entity: keyof PartnerRowCounts; query: Query }[];
  /** `keys`: only the rows of these parent keys (a scoped verification's bisection). */
  buildRangeChecksumsQuery(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    ranges: KeyRange[],
    keys?: ReadonlyArray<number>,
  ): Query;
  buildKeyChecksumsQuery(
    entity: ArchiveEntity,
    partnerId: number,
    watermark: string,
    range: KeyRange,
    keys?: ReadonlyArray<number>,
  ): Query;
  buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): Query;
  /** `scope`: its partners' listed parent keys only (the rows and their lines); the other partners whole. */
  buildPartnerDigestsQuery(
    entity: ArchiveEntity,
    partnerIds: ReadonlyArray<number>,
    watermark: string,
    scope?: ScopedKeys,
  ): Query;
  buildRowsOfPartnersPageQuery(
    table: PartnersTable,
    partnerIds: ReadonlyArray<number>,
    range: KeyRange,
    watermark: string | null,
    limit: number,
  ): Query;
  buildUpdatePortalModeQuery(partnerId: number, mode: PortalMode): Query;
  buildChangedRowsQuery(table: LegacyTableName, after: string, upTo: string): Query;
  buildRowsByKeysQuery(table: 'Orders' | 'Invoices' | LineTable, keys: ReadonlyArray<number>, watermark: string): Query;
  buildLinesOfParentKeysQuery(table: LineTable, parentKeys: ReadonlyArray<number>, watermark: string): Query;
  buildKeyDigestsQuery(table: ArchivedTable, partnerIds: ReadonlyArray<number>): Query;
  buildKeysOfPartnerQuery(table: ArchivedTable, partnerId: number): Query;

  /** Creates the database if it is absent; `server` is connected outside it. */
  createDatabase(server: Db, database: string): Promise<void>;
  hasTable(db: Db, table: string): Promise<boolean>;
  /** Runs the legacy DDL file at `path`. */
  applyDdl(db: Db, path: string): Promise<void>;
  /** True when the Partners table holds no row (or does not exist). */
  isPartnersEmpty(db: Db): Promise<boolean>;
  /** Creates ppm's marker table (PORTAL_MARKER_TABLE) and its row, if absent: the database is one ppm made. */
  createPortalMarker(db: Db): Promise<void>;
  /** Drops every legacy table, and what the DDL made beside them, and ppm's marker last. */
  dropLegacySchema(db: Db): Promise<void>;
  /** Bulk-inserts rows in one transaction of their own: a failure leaves no half-seeded table. */
  insertRows(db: Db, table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
}

/**
 * What an engine supplies to the shared reader and admin: how to connect, run a statement and
 * translate its driver's errors, its row converters and its statements. Everything else is the
 * same on every engine and lives in EngineSourceReader and EngineLegacyAdmin (knex's "override
 * only what differs"). `Db` is the engine's pool, `Query` a statement with its parameters.
 */
export interface EngineDialect<Db, Query> {
  readonly engine: LegacyEngineName;
  /** The legacy DDL file under `migrations/legacy/`. */
  readonly ddlFile: string;
  /** `host:port/database` of a URL: what messages may name, never the credentials. */
  describeUrl(url: string): string;
  /**
   * A pool on the URL's database whose server has answered; `poolSize` connections, default 4
   * or the URL's; each statement bounded by `queryTimeoutMs` (0: no limit; absent: the engine's default).
   */
  connectReader(url: string, poolSize?: number, queryTimeoutMs?: number): Promise<Db>;
  /** A small pool on the URL's database for administration, able to run the DDL file. */
  connectAdmin(url: string): Promise<Db>;
  /** One connection to the server outside the URL's database, which may not exist yet. */
  connectServer(url: string): Promise<Db>;
  close(db: Db): Promise<void>;
  translateError(error: unknown, operation: string, where: string): Error;
  converters: RowConverters;
  selectRows(db: Db, query: Query): Promise<RawRow[]>;
  /** Runs a statement; returns how many rows it matched. */
  execute(db: Db, query: Query): Promise<number>;
  sql: EngineSql<Db, Query>;
}
