import type { Knex } from 'knex';
import { Client } from 'pg';
import { analyzeGrownTables, connectTarget, migrateTarget } from '../../src/load';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

/**
 * Planner statistics kept in step during a wave (analyzeGrownTables): a table the wave writes is
 * analyzed once it has doubled since its last ANALYZE, with a small sample, and not before.
 */
describe('analyzeGrownTables (real PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Knex;
  let writer: Client;
  let written = 0;

  /** `rows` more id_map rows, their counts flushed to pg_stat_user_tables as the insert commits. */
  async function addIdMapRows(rows: number): Promise<void> {
    await writer.query('SELECT pg_stat_force_next_flush()');
    await writer.query(
      `INSERT INTO migration.id_map (legacy_table, legacy_key, marketplace_id)
       SELECT 'Customers', g::text, 'LCE-' || g FROM generate_series($1::int, $2::int) AS g`,
      [written + 1, written + rows],
    );
    written += rows;
    // The counts are flushed as the insert commits; a reading session sees them once its own
    // snapshot of the statistics is renewed (each transaction): wait until all rows show.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { rows: seen } = await writer.query<{ n: string }>(
        `SELECT n_tup_ins::text AS n FROM pg_stat_user_tables WHERE relid = 'migration.id_map'::regclass`,
      );
      if (Number(seen[0]?.n ?? 0) >= written) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`pg_stat_user_tables never showed the ${written} rows inserted`);
  }

  async function idMapStatistics(): Promise<{ analyzed: boolean; reltuples: number; bounds: number }> {
    const { rows } = await writer.query<{ analyzed: boolean; reltuples: number; bounds: number | null }>(
      `SELECT s.last_analyze IS NOT NULL AS analyzed, c.reltuples::float8 AS reltuples,
              (SELECT cardinality(histogram_bounds::text::text[]) FROM pg_stats
                WHERE schemaname = 'migration' AND tablename = 'id_map' AND attname = 'marketplace_id') AS bounds
         FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.relid = 'migration.id_map'::regclass`,
    );
    return { analyzed: rows[0]!.analyzed, reltuples: rows[0]!.reltuples, bounds: rows[0]!.bounds ?? 0 };
  }

  beforeAll(async () => {
    target = await freshPostgres('load_analyze');
    await migrateTarget(target.url);
    db = connectTarget(target.url, { poolMax: 2 });
    writer = new Client({ connectionString: target.url });
    await writer.connect();
  });

  afterAll(async () => {
    await writer?.end();
    await db?.destroy();
    await target?.drop();
  });

  it('leaves a table alone until it has as many rows written as the minimum', async () => {
    await addIdMapRows(600);
    expect(await analyzeGrownTables(db, { minRows: 1000 })).toEqual([]);
    expect((await idMapStatistics()).analyzed).toBe(false);
  });

  it('analyzes a table that reached the minimum, with the small sample', async () => {
    await addIdMapRows(1400);
    expect(await analyzeGrownTables(db, { minRows: 1000, statisticsTarget: 10 })).toEqual(['migration.id_map']);
    const statistics = await idMapStatistics();
    expect(statistics.analyzed).toBe(true);
    expect(statistics.reltuples).toBe(2000);
    // A statistics target of 10 keeps at most 11 histogram bounds (100 would keep up to 101).
    expect(statistics.bounds).toBeGreaterThan(1);
    expect(statistics.bounds).toBeLessThanOrEqual(11);
  });

  it('analyzes it again only once it has doubled since', async () => {
    await addIdMapRows(1500);
    expect(await analyzeGrownTables(db, { minRows: 1000 })).toEqual([]);
    expect((await idMapStatistics()).reltuples).toBe(2000);
    await addIdMapRows(600);
    expect(await analyzeGrownTables(db, { minRows: 1000 })).toEqual(['migration.id_map']);
    expect((await idMapStatistics()).reltuples).toBe(4100);
  });
});
