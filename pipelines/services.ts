import type { Knex } from 'knex';
import type { Config } from '../src/core/config';
import { createLogger, type Logger } from '../src/core/logger';
import { openSourceReader } from '../src/extract/engines';
import type { SourceReader } from '../src/extract/source-reader';
import { TargetUnavailableError } from '../src/core/errors';
import { connectTarget, describePgError, describeTargetUrl, readSellers } from '../src/load';
import type { SellerRef, TransformContext } from '../src/transform';

/**
 * The long-lived connections of one process: the target database, the legacy reader and the
 * transform context built from reference data. Opened once, shared by every job of a worker.
 */
export interface Services {
  config: Config;
  logger: Logger;
  target: Knex;
  source: SourceReader;
  transformContext(): Promise<TransformContext>;
  /**
   * Which marketplace database this process writes to, as the server sees it (address, port,
   * database): jobs carry their run's, and a worker of another environment leaves them alone.
   */
  environment: string;
  close(): Promise<void>;
}

export async function openServices(config: Config, logger: Logger = createLogger()): Promise<Services> {
  // Each concurrent job reads up to three streams at once and writes through one connection.
  let environment = '';
  const target = connectTarget(config.MARKETPLACE_DATABASE_URL, {
    poolMax: config.WORKER_CONCURRENCY * 2 + 4,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.PG_LOCK_TIMEOUT_MS,
    // Writes run with the loader's grants, not the login's (a superuser by default).
    ...(config.PG_LOADER_ROLE === 'none' ? {} : { sessionRole: config.PG_LOADER_ROLE }),
    log: {
      warn: (message) => logger.warn({ source: 'knex' }, message),
      error: (message) => logger.error({ source: 'knex' }, message),
    },
  });
  try {
    // Fail here, naming the database, rather than on the first statement of a run.
    // A database not migrated yet has no id: its name stands in (no job runs against it anyway).
    const { rows: known } = await target.raw<{ rows: Array<{ present: boolean; name: string }> }>(
      `SELECT to_regclass('migration.environment') IS NOT NULL AS present, current_database() AS name`,
    );
    environment = known[0]!.name;
    if (known[0]!.present) {
      const { rows } = await target.raw<{ rows: Array<{ id: string }> }>(
        'SELECT id::text AS id FROM migration.environment',
      );
      environment = rows[0]?.id ?? environment;
    }
  } catch (error) {
    await target.destroy();
    throw new TargetUnavailableError(
      `cannot reach the marketplace database ${describeTargetUrl(config.MARKETPLACE_DATABASE_URL)}: ${describePgError(error)}`,
      { cause: error },
    );
  }
  let source: SourceReader;
  try {
    source = await openSourceReader({
      // Three streams per job and slack; verification asks up to five statements per chunk of
      // partners, two chunks at a time, and its cheap reads must not queue behind its long ones.
      url: config.LEGACY_DATABASE_URL,
      timeZone: config.LEGACY_TIMEZONE,
      poolSize: config.WORKER_CONCURRENCY * 3 + 6,
      queryTimeoutMs: config.LEGACY_QUERY_TIMEOUT_MS,
    });
  } catch (error) {
    await target.destroy();
    throw error;
  }
  let context: Promise<TransformContext> | undefined;
  return {
    config,
    logger,
    target,
    source,
    environment,
    transformContext() {
      if (!context) {
        const reading = readSellers(target).then((sellers: SellerRef[]) => ({
          timeZone: config.LEGACY_TIMEZONE,
          sellersByCountry: new Map(sellers.map((seller) => [seller.country, seller])),
        }));
        context = reading;
        // A failed read is not kept: the next job reads again instead of failing with it.
        reading.catch(() => {
          if (context === reading) context = undefined;
        });
      }
      return context;
    },
    async close() {
      await Promise.allSettled([source.close(), target.destroy()]);
    },
  };
}
