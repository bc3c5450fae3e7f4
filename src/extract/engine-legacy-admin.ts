import { databaseOf, type LegacyEngineName } from '../core/config';
import { withTranslatedErrors } from './driver-errors';
import type { EngineDialect } from './engine-dialect';
import { legacyDdlPath } from './legacy-ddl-path';
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
      if (!(await sql.hasTable(pool, 'Partners'))) await sql.applyDdl(pool, legacyDdlPath(this.dialect.ddlFile));
    });
  }

  isEmpty(): Promise<boolean> {
    return this.run('check whether the legacy database is empty', async () =>
      this.dialect.sql.isPartnersEmpty(await this.pool()),
    );
  }

  reset(): Promise<void> {
    return this.run('drop the legacy schema', async () => this.dialect.sql.dropLegacySchema(await this.pool()));
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
