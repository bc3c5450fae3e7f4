import type { Knex } from 'knex';
import { touchUpdatedAt } from './triggers';

/**
 * The nightly sync's schedule, kept beside the state it serves: Redis (without persistence, as
 * on many hosts) loses its job scheduler when it restarts, and `ppm worker` registers it again
 * from this row. One row at most. Inherits the grants of 0005 (default privileges).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE migration.sync_schedule (
  id          text PRIMARY KEY DEFAULT 'nightly-sync' CHECK (id = 'nightly-sync'),
  pattern     text NOT NULL,
  tz          text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
`);
  await knex.raw(touchUpdatedAt('migration.sync_schedule'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS migration.sync_schedule');
}
