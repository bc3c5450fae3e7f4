import type { Knex } from 'knex';

/**
 * One random id per marketplace database, made when it is migrated: what every process working
 * for it carries in its jobs, so that a worker of another environment (another database behind
 * the same Redis and QUEUE_PREFIX) never runs them. The same for every process whatever address
 * it connects by; different for two databases of the same name on two servers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE migration.environment (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  singleton   boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO migration.environment DEFAULT VALUES;
`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS migration.environment');
}
