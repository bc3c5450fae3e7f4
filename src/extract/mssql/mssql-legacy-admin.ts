import sql from 'mssql';
import { databaseOf } from '../../core/config';
import type { LegacyAdmin, LegacyTableName } from '../source-reader';
import { connectMssqlPool, describeMssqlUrl } from './connect';
import { legacyDdlPath } from './legacy-ddl-path';
import { applyDdl } from './sql/apply-ddl';
import { createDatabase } from './sql/create-database';
import { dropLegacySchema } from './sql/drop-legacy-schema';
import { hasTable } from './sql/has-table';
import { insertRows } from './sql/insert-rows';
import { isPartnersEmpty } from './sql/is-partners-empty';
import { translateMssqlError } from './translate-error';

/** `ppm legacy init|seed` and tests on SQL Server; never used by a wave. */
export class MssqlLegacyAdmin implements LegacyAdmin {
  readonly engine = 'mssql' as const;
  private readonly where: string;
  /** Opened lazily: the database may not exist before applySchema. */
  private poolPromise: Promise<sql.ConnectionPool> | undefined;

  constructor(private readonly url: string) {
    this.where = describeMssqlUrl(url);
  }

  private pool(): Promise<sql.ConnectionPool> {
    this.poolPromise ??= connectMssqlPool(this.url, { poolMax: 2 });
    this.poolPromise.catch(() => { this.poolPromise = undefined; });
    return this.poolPromise;
  }

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateMssqlError(error, operation, this.where);
    }
  }

  applySchema(): Promise<void> {
    return this.run('apply the legacy schema', async () => {
      const master = await connectMssqlPool(this.url, { toMaster: true, poolMax: 1 });
      try {
        await createDatabase(master, databaseOf(this.url));
      } finally {
        await master.close();
      }
      const pool = await this.pool();
      if (!(await hasTable(pool, 'Partners'))) await applyDdl(pool, legacyDdlPath('mssql.sql'));
    });
  }

  isEmpty(): Promise<boolean> {
    return this.run('check whether the legacy database is empty', async () => isPartnersEmpty(await this.pool()));
  }

  reset(): Promise<void> {
    return this.run('drop the legacy schema', async () => dropLegacySchema(await this.pool()));
  }

  insertRows(table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.run(`insert ${rows.length} rows into ${table}`, async () => {
      // One transaction pins one connection, which the session temp table needs.
      const transaction = new sql.Transaction(await this.pool());
      await transaction.begin();
      try {
        await insertRows(transaction, table, rows);
        await transaction.commit();
      } catch (error) {
        await transaction.rollback().catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    const pending = this.poolPromise;
    this.poolPromise = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }
}
