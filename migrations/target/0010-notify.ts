import type { Knex } from 'knex';
import { touchUpdatedAt } from './triggers';

/**
 * The outbox as a record of effects (ARCHITECTURE: every external effect goes through it):
 * each row's state, its queue, the effect it waits for (one partner's effects happen in order)
 * and when it may happen at the earliest. Invitations keep only the SHA-256 of their token.
 * Later tables of the owner inherit the grants of 0005 (default privileges).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
ALTER TABLE migration.outbox
  ADD COLUMN state            text NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'enqueued', 'done', 'failed')),
  ADD COLUMN queue            text NOT NULL DEFAULT 'notifications'
                              CHECK (queue IN ('notifications', 'invitations', 'portal')),
  ADD COLUMN wave_id          bigint REFERENCES migration.waves (id),
  ADD COLUMN after_event_key  text,
  ADD COLUMN not_before       timestamptz,
  ADD COLUMN done_at          timestamptz,
  ADD COLUMN failed_at        timestamptz;

CREATE INDEX outbox_due_idx ON migration.outbox (not_before NULLS FIRST, id) WHERE state = 'pending';
CREATE INDEX outbox_kind_state_idx ON migration.outbox (kind, state);
CREATE INDEX outbox_partner_idx ON migration.outbox (legacy_partner_id);

CREATE TABLE migration.invitations (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_user_id    text NOT NULL REFERENCES marketplace.account_users (id),
  legacy_partner_id  int NOT NULL,
  event_key          text NOT NULL UNIQUE,
  token_sha256       text UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  sent_at            timestamptz,
  expires_at         timestamptz,
  accepted_at        timestamptz,
  revoked_at         timestamptz,
  superseded_by      bigint REFERENCES migration.invitations (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invitations_one_open_idx ON migration.invitations (account_user_id)
  WHERE accepted_at IS NULL AND revoked_at IS NULL AND superseded_by IS NULL;
`);
  await knex.raw(touchUpdatedAt('migration.invitations'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
DROP TABLE IF EXISTS migration.invitations;
DROP INDEX IF EXISTS migration.outbox_due_idx;
DROP INDEX IF EXISTS migration.outbox_kind_state_idx;
DROP INDEX IF EXISTS migration.outbox_partner_idx;
ALTER TABLE migration.outbox
  DROP COLUMN IF EXISTS state, DROP COLUMN IF EXISTS queue, DROP COLUMN IF EXISTS wave_id,
  DROP COLUMN IF EXISTS after_event_key, DROP COLUMN IF EXISTS not_before, DROP COLUMN IF EXISTS done_at,
  DROP COLUMN IF EXISTS failed_at;
`);
}
