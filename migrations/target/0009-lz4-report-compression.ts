import type { Knex } from 'knex';

/**
 * The large JSON of verification, each check's detail (money per currency and month of a
 * partner, tens of kilobytes) and each sealed report's body (megabytes), compressed with lz4
 * instead of pglz where this server is built with lz4: lz4 compresses faster, and a verify
 * writes them after its last check, while its caller waits. Only values
 * written from now on are affected (no rewrite); a server without lz4 keeps pglz.
 */
const COLUMNS: ReadonlyArray<[string, string]> = [
  ['migration.reconciliations', 'detail'],
  ['migration.reports', 'body'],
];

async function lz4Available(knex: Knex): Promise<boolean> {
  const result = await knex.raw<{ rows: Array<{ lz4: boolean }> }>(
    "SELECT coalesce('lz4' = ANY(enumvals), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'",
  );
  return result.rows[0]?.lz4 === true;
}

export async function up(knex: Knex): Promise<void> {
  if (!(await lz4Available(knex))) return;
  for (const [table, column] of COLUMNS)
    await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS)
    await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION default`);
}
