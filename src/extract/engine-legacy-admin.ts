import { databaseOf, type LegacyEngineName } from '../core/config';
import { RefusedError } from '../core/errors';
import { withTranslatedErrors } from './driver-errors';
import type { EngineDialect } from './engine-dialect';
import { legacyDdlPath } from './legacy-ddl-path';
import { LEGACY_TABLES, PORTAL_MARKER_TABLE } from './portal-marker';
import type { LegacyAdmin, LegacyTableName } from './source-reader';

/** `ppm legacy init|seed` and tests through one engine's dialect; never used by a wave. */
export class EngineLegacyAdmin<Db, Query> implements LegacyAdmin {
  readonly engine: LegacyEngineName;
  private readonly where: string;
  /** Opened lazily: the database may not exist before applySchema. */
  private poolPromise: Promise<Db> | undefined;

  constructor(
    private readonly dialect: EngineDialect<Db, Query>,
    private readonly url: string,
  ) {
    this.engine = dialect.engine;
    this.where = dialect.describeUrl(url);
  }

  private pool(): Promise<Db> {
    this.poolPromise ??= this.dialect.connectAdmin(this.url);
    this.poolPromise.catch(() => {
      this.poolPromise = undefined;
    });
    return this.poolPromise;
  }

  private run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return withTranslatedErrors(this.dialect.translateError, operation, this.where, work);
  }

  applySchema(): Promise<void> {
    const { sql } = this.dialect;
    return this.run('apply the legacy schema', async () => {
      const server = await this.dialect.connectServer(this.url);
      try {
        await sql.createDatabase(server, databaseOf(this.url));
      } finally {
        await this.dialect.close(server);
      }
      const pool = await this.pool();
      if (!(await sql.hasTable(pool, 'Partners'))) {
        // ppm makes this portal: marked first, so a DDL failing half-way leaves one ppm may reset.
        // Never a database that already holds some legacy table (the DDL then fails as it would).
        if ((await this.legacyTablesIn(pool)).length === 0) await sql.createPortalMarker(pool);
        await sql.applyDdl(pool, legacyDdlPath(this.dialect.ddlFile));
      }
    });
  }

  /** The legacy tables the database holds, in DDL order. */
  private async legacyTablesIn(pool: Db): Promise<string[]> {
    const present: string[] = [];
    for (const table of LEGACY_TABLES) if (await this.dialect.sql.hasTable(pool, table)) present.push(table);
    return present;
  }

  isEmpty(): Promise<boolean> {
    return this.run('check whether the legacy database is empty', async () =>
      this.dialect.sql.isPartnersEmpty(await this.pool()),
    );
  }

  /**
   * Drops the legacy schema of a portal ppm created (it holds PORTAL_MARKER_TABLE), or of a
   * database without legacy tables. One holding legacy tables without the marker looks like a
   * real portal: refused (RefusedError) before anything is dropped.
   */
  reset(): Promise<void> {
    return this.run('drop the legacy schema', async () => {
      const pool = await this.pool();
      if (!(await this.dialect.sql.hasTable(pool, PORTAL_MARKER_TABLE))) {
        const present = await this.legacyTablesIn(pool);
        if (present.length > 0) {
          throw new RefusedError(
            `the legacy database ${this.where} holds legacy tables (${present.join(', ')}) but no ` +
              `${PORTAL_MARKER_TABLE} table: it looks like a real Partner Portal, not one ppm created, ` +
              'and ppm resets only its own. Nothing was dropped.',
          );
        }
      }
      await this.dialect.sql.dropLegacySchema(pool);
    });
  }

  insertRows(table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.run(`insert ${rows.length} rows into ${table}`, async () =>
      this.dialect.sql.insertRows(await this.pool(), table, rows),
    );
  }

  async close(): Promise<void> {
    const pending = this.poolPromise;
    this.poolPromise = undefined;
    const pool = await pending?.catch(() => undefined);
    if (pool !== undefined) await this.dialect.close(pool);
  }
}
