import type { Knex } from 'knex';
import { TARGET_TABLES } from '../core/target-model';

/** Every table a wave writes, as `schema.table`. */
const LOADED_TABLES: ReadonlyArray<string> = [
  ...new Set(Object.values(TARGET_TABLES).map((table) => table.name)),
  'migration.id_map',
  'migration.findings',
];

/**
 * Refreshes the planner statistics of every table a wave writes. A wave adds hundreds of
 * thousands of rows at once; until autovacuum (which may be off, or behind) analyzes them,
 * PostgreSQL plans every later query — verification, the marketplace's own — on the row
 * counts of before the wave. ANALYZE samples a fixed number of rows, so this costs the same
 * whatever the tables' size.
 */
export async function analyzeLoadedTables(db: Knex): Promise<void> {
  // Through the owner's function: the loader owns no table, and ANALYZE skips what it does not own.
  await db.raw('SELECT migration.analyze_tables(?::regclass[])', [[...LOADED_TABLES]]);
}

export interface GrownTablesOptions {
  /** A table is analyzed once it has had at least this many rows written since its last ANALYZE. */
  minRows?: number;
  /**
   * `default_statistics_target` of these ANALYZEs (PostgreSQL's default is 100): a tenth of the
   * sample is enough to tell the planner how many rows a table and each partner have, and costs a
   * tenth. The ANALYZE at the end of a wave takes the full sample.
   */
  statisticsTarget?: number;
}

/**
 * Planner statistics kept in step while a wave loads: the tables a wave writes that have at
 * least doubled (and by `minRows` rows) since they were last analyzed — by this, by autovacuum
 * or by anyone — are analyzed now, with a small sample. Autovacuum looks at a table once a
 * minute at best; meanwhile a table that grew from nothing to a hundred thousand rows is planned
 * as the few rows it had, and the wave's own reads of it (its verification, above all) are
 * planned as full scans of it, each scan longer than the one before. Resolves with the tables it
 * analyzed (none when none has grown so). The growth is read from `pg_stat_user_tables`, whose
 * counts lag writes by a second or so.
 */
export async function analyzeGrownTables(db: Knex, options: GrownTablesOptions = {}): Promise<string[]> {
  const minRows = options.minRows ?? 50_000;
  const { rows } = await db.raw<{ rows: Array<{ name: string }> }>(
    `SELECT format('%I.%I', schemaname, relname) AS name
       FROM pg_stat_user_tables
      WHERE format('%I.%I', schemaname, relname) = ANY(?::text[])
        AND n_mod_since_analyze >= greatest(?::bigint, n_live_tup - n_mod_since_analyze)
      ORDER BY 1`,
    [[...LOADED_TABLES], minRows],
  );
  const grown = rows.map((row) => row.name);
  if (grown.length === 0) return grown;
  await db.transaction(async (trx) => {
    await trx.raw(`SET LOCAL default_statistics_target = ${Math.trunc(options.statisticsTarget ?? 10)}`);
    await trx.raw('SELECT migration.analyze_tables(?::regclass[])', [grown]);
  });
  return grown;
}
