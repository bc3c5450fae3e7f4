import type { Config } from '../src/core/config';
import { migrateTarget } from '../src/load';

/** Creates or updates the target: schemas, tables, roles, the archive write guard and the sellers. */
export async function migrateTargetDatabase(config: Config): Promise<{ applied: string[] }> {
  return migrateTarget(config.MARKETPLACE_DATABASE_URL);
}
