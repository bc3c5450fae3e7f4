import type { Knex } from 'knex';

/**
 * Every batch writes id_map, findings, quarantine, skipped and checkpoint rows that name the
 * run. As foreign keys, each of those rows took a share lock on the one `migration.runs` row
 * that every concurrent batch of the wave also locks: a per-row check on the hottest row of
 * the database. The run id stays on each row (and indexed where it is queried); runs are never
 * deleted, so the reference cannot dangle.
 */
const CONSTRAINTS: ReadonlyArray<[string, string]> = [
  ['migration.id_map', 'id_map_run_id_fkey'],
  ['migration.findings', 'findings_run_id_fkey'],
  ['migration.quarantine', 'quarantine_run_id_fkey'],
  ['migration.skipped', 'skipped_run_id_fkey'],
  ['migration.checkpoints', 'checkpoints_run_id_fkey'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, constraint] of CONSTRAINTS) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, constraint] of CONSTRAINTS) {
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (run_id) REFERENCES migration.runs (id)`,
    );
  }
}
