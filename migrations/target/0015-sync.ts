import type { Knex } from 'knex';

/**
 * The nightly sync: a membership whose legacy user has since been deactivated (or quarantined)
 * is kept, marked `Deleted`, rather than left claiming to be migrated; the archive rows a sync
 * marks deleted are found by partner and `deleted_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
ALTER TABLE marketplace.account_users
  ADD COLUMN status text NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Deleted'));
`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE marketplace.account_users DROP COLUMN IF EXISTS status');
}
