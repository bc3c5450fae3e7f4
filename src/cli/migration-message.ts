import type { MigrateTargetResult } from '../load';

/**
 * What `migrateTarget` did, in one line: created the database, applied migrations to it, or
 * found it up to date. `names` appends the applied migrations' names.
 */
export function describeMigration(
  result: MigrateTargetResult,
  database: string,
  options: { names?: boolean } = {},
): string {
  const count = result.applied.length;
  const names = options.names && count > 0 ? `: ${result.applied.join(', ')}` : '';
  const applied = `applied ${count} migration${count === 1 ? '' : 's'}${names}`;
  if (result.createdDatabase) return `created database ${database} and ${applied}`;
  if (count > 0) return `migrated database ${database}: ${applied}`;
  return `database ${database} is already up to date (no migration to apply)`;
}
