import type { Pool } from 'mysql2/promise';
import { databaseOf } from '../../core/config';
import type { LegacyAdmin, LegacyTableName } from '../source-reader';
import { createMariaDbPool, describeMariaDbUrl } from './connect';
import { legacyDdlPath } from './legacy-ddl-path';
import { applyDdl } from './sql/apply-ddl';
import { createDatabase } from './sql/create-database';
import { dropLegacySchema } from './sql/drop-legacy-schema';
import { hasTable } from './sql/has-table';
import { insertRows } from './sql/insert-rows';
import { isPartnersEmpty } from './sql/is-partners-empty';
import { translateMariaDbError } from './translate-error';

/** `ppm legacy init|seed` and tests on the MariaDB stand-in; never used by a wave. */
export class MariaDbLegacyAdmin implements LegacyAdmin {
  readonly engine = 'mariadb' as const;
  private readonly where: string;
  /** Opened by applySchema: the database may not exist before it. */
  private poolInstance: Pool | undefined;

  constructor(private readonly url: string) {
    this.where = describeMariaDbUrl(url);
  }

  private get pool(): Pool {
    this.poolInstance ??= createMariaDbPool(this.url, { multipleStatements: true, connectionLimit: 2 });
    return this.poolInstance;
  }

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateMariaDbError(error, operation, this.where);
    }
  }

  applySchema(): Promise<void> {
    return this.run('apply the legacy schema', async () => {
      const server = createMariaDbPool(this.url, { withoutDatabase: true, connectionLimit: 1 });
      try {
        await createDatabase(server, databaseOf(this.url));
      } finally {
        await server.end();
      }
      if (!(await hasTable(this.pool, 'Partners'))) await applyDdl(this.pool, legacyDdlPath('mariadb.sql'));
    });
  }

  isEmpty(): Promise<boolean> {
    return this.run('check whether the legacy database is empty', () => isPartnersEmpty(this.pool));
  }

  reset(): Promise<void> {
    return this.run('drop the legacy schema', () => dropLegacySchema(this.pool));
  }

  insertRows(table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.run(`insert ${rows.length} rows into ${table}`, async () => {
      const connection = await this.pool.getConnection();
      try {
        // One transaction: a failed chunk leaves no half-seeded table, and InnoDB commits once.
        await connection.beginTransaction();
        await insertRows(connection, table, rows);
        await connection.commit();
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    });
  }

  async close(): Promise<void> {
    await this.poolInstance?.end();
    this.poolInstance = undefined;
  }
}
