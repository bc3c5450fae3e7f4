import type { Knex } from 'knex';
import { TARGET_TABLES } from '../core/target-model';

/**
 * Refreshes the planner statistics of every table a wave writes. A wave adds hundreds of
 * thousands of rows at once; until autovacuum (which may be off, or behind) analyzes them,
 * PostgreSQL plans every later query — verification, the marketplace's own — on the row
 * counts of before the wave. ANALYZE samples a fixed number of rows, so this costs the same
 * whatever the tables' size.
 */
export async function analyzeLoadedTables(db: Knex): Promise<void> {
  const tables = [
    ...new Set(Object.values(TARGET_TABLES).map((table) => table.name)),
    'migration.id_map',
    'migration.findings',
  ];
  // Through the owner's function: the loader owns no table, and ANALYZE skips what it does not own.
  await db.raw('SELECT migration.analyze_tables(?::regclass[])', [tables]);
}
