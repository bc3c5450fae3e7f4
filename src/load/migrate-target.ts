import { Client } from 'pg';
import { targetMigrationSource } from '../../migrations/target';
import { connectTarget } from './connection/connect-target';
import { translateTargetError } from './connection/target-errors';

export { connectTarget } from './connection/connect-target';

const MIGRATION_LOCK = 'ppm.migrate-target';

function databaseOf(url: string): { name: string; adminUrl: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(name))
    throw new TypeError(`unexpected database name in the target URL: "${name}"`);
  parsed.pathname = '/postgres';
  return { name, adminUrl: parsed.toString() };
}

async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const { name, adminUrl } = databaseOf(url);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (error) {
    // Another process created it between our check and our CREATE.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/** What migrateTarget did. */
export interface MigrateTargetResult {
  createdDatabase: boolean;
  /** Names of the migrations applied now (empty when the schema was up to date). */
  applied: string[];
}

/**
 * Brings the target database to the latest schema: creates the database when missing (through
 * the `postgres` maintenance database), then runs the target migrations. Idempotent, and safe
 * when several processes run it at once (a session advisory lock serialises them).
 */
export async function migrateTarget(url: string): Promise<MigrateTargetResult> {
  try {
    const createdDatabase = await createDatabaseIfMissing(url);
    const lock = new Client({ connectionString: url });
    await lock.connect();
    const db = connectTarget(url, { poolMax: 2, applicationName: 'ppm-migrate' });
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
      const [, applied] = (await db.migrate.latest({ migrationSource: targetMigrationSource })) as [number, string[]];
      return { createdDatabase, applied };
    } finally {
      await db.destroy();
      await lock.end();
    }
  } catch (error) {
    throw translateTargetError(error, 'migrating the target database');
  }
}
