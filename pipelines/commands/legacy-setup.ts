import type { Config } from '../../src/core/config';
import { RefusedError } from '../../src/core/errors';
import { openLegacyAdmin } from '../../src/extract/engines';
import { generateLegacyPortal, planSeed } from '../../src/seed';

export interface SeedRequest {
  partners: number;
  seed: number;
  /** Approximate rows in all tables; default the generator's own proportion. */
  targetRows?: number;
  /** Drop and recreate the legacy tables first, even when they hold data. */
  reset?: boolean;
}

export interface SeedProgress {
  rows: number;
  rowsTotal: number;
}

/** Creates the legacy schema on the configured source when it is absent. */
export async function initLegacy(config: Config): Promise<void> {
  const admin = await openLegacyAdmin({ url: config.LEGACY_DATABASE_URL, timeZone: config.LEGACY_TIMEZONE });
  try {
    await admin.applySchema();
  } finally {
    await admin.close();
  }
}

/**
 * Fills the legacy database with a deterministic synthetic portal. Refuses a database that
 * already holds partners unless `reset` is given: this tool is pointed at production systems.
 * Even with `reset`, only a portal ppm created (marked by applySchema) is dropped; one holding
 * legacy tables without the marker is refused (RefusedError) and left as it is.
 */
export async function seedLegacy(
  config: Config,
  request: SeedRequest,
  onProgress?: (progress: SeedProgress) => void,
): Promise<{ rows: number }> {
  const admin = await openLegacyAdmin({ url: config.LEGACY_DATABASE_URL, timeZone: config.LEGACY_TIMEZONE });
  try {
    await admin.applySchema();
    if (!(await admin.isEmpty())) {
      if (!request.reset) {
        throw new RefusedError(
          'the legacy database already holds partners; refusing to seed over it. ' +
            'Use --reset to drop and recreate its tables (only a portal ppm created itself can be reset).',
        );
      }
      await admin.reset();
      await admin.applySchema();
    }
    const options = { partners: request.partners, seed: request.seed, targetRows: request.targetRows };
    const rowsTotal = planSeed(options).estimatedRows;
    let rows = 0;
    for (const chunk of generateLegacyPortal(options)) {
      await admin.insertRows(chunk.table, chunk.rows);
      rows += chunk.rows.length;
      onProgress?.({ rows, rowsTotal: Math.max(rows, rowsTotal) });
    }
    onProgress?.({ rows, rowsTotal: rows });
    return { rows };
  } finally {
    await admin.close();
  }
}
