import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { migrateTarget } from '../../src/load';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { openServices, type Services } from '../../pipelines/services';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave, type WaveRunResult } from '../../pipelines/commands/wave-run';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

/** A seeded legacy portal, migrated by one clean wave run in this process (verification on). */
export interface VerifiedWave {
  config: Config;
  env: Record<string, string>;
  services: Services;
  wave: WaveRunResult;
  close(): Promise<void>;
}

export async function cleanWave(tag: string, partners: number): Promise<VerifiedWave> {
  const databases: TestDatabase[] = [await freshPostgres(tag), await freshMariaDb(tag)];
  const env = {
    MARKETPLACE_DATABASE_URL: databases[0].url,
    LEGACY_DATABASE_URL: databases[1].url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: freshQueuePrefix(tag),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  await seedLegacy(config, { partners, seed: 11 });
  await migrateTarget(config.MARKETPLACE_DATABASE_URL);
  const services = await openServices(config, createLogger({ level: 'warn' }));
  await planWave(services, 'w1', { all: true });
  const wave = await runWave(services, 'w1', { cutover: false });
  return {
    config,
    env,
    services,
    wave,
    async close() {
      await services.close();
      for (const database of databases) await database.drop();
      await dropQueues(env.QUEUE_PREFIX);
    },
  };
}

/** Runs `sql` in a transaction that may write the archive (the load's declaration). */
export async function asLoader(db: Knex, sql: string, bindings: readonly unknown[] = []): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw("SET LOCAL ppm.archive_write = 'on'");
    await trx.raw(sql, bindings as Knex.RawBinding[]);
  });
}

/** A row as JSON, to put it back after a test deleted it. */
export async function snapshotRow(
  db: Knex,
  table: string,
  where: string,
  bindings: readonly unknown[],
): Promise<Record<string, unknown>> {
  const result = await db.raw(
    `SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${where}`,
    bindings as Knex.RawBinding[],
  );
  return result.rows[0].row;
}

export async function restoreRow(
  db: Knex,
  table: string,
  row: Record<string, unknown>,
  overriding = false,
): Promise<void> {
  // Generated columns (the archive's row_hash) are computed again, not written.
  const columns = (
    await db.raw(
      "SELECT quote_ident(attname) AS name FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
      [table],
    )
  ).rows
    .map((column: { name: string }) => column.name)
    .join(', ');
  await asLoader(
    db,
    `INSERT INTO ${table} (${columns}) ${overriding ? 'OVERRIDING SYSTEM VALUE ' : ''}SELECT ${columns} FROM jsonb_populate_record(NULL::${table}, ?::jsonb)`,
    [JSON.stringify(row)],
  );
}
