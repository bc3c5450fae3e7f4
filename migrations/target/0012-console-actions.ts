import type { Knex } from 'knex';
import { touchUpdatedAt } from './triggers';

/**
 * Who did what from the console: every operator action (an effect retried, an invitation resent
 * or revoked, a partner verified again), with its outcome, or the error it was refused with.
 * Later tables of the owner inherit the grants of 0005 (default privileges).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE migration.console_actions (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor              text NOT NULL,
  role               text NOT NULL CHECK (role IN ('operator', 'auditor')),
  action             text NOT NULL
                     CHECK (action IN ('retry-effects', 'resend-invitation', 'revoke-invitation', 'reverify-partner')),
  wave_id            bigint REFERENCES migration.waves (id),
  legacy_partner_id  int,
  subject            text,
  outcome            jsonb,
  error              text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_actions_partner_idx ON migration.console_actions (legacy_partner_id, id);
`);
  await knex.raw(touchUpdatedAt('migration.console_actions'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS migration.console_actions');
}
