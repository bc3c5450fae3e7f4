import type { Knex } from 'knex';
import { touchUpdatedAt } from './triggers';

const TABLES = [
  'waves',
  'wave_partners',
  'runs',
  'checkpoints',
  'watermarks',
  'id_map',
  'quarantine',
  'skipped',
  'findings',
  'reconciliations',
  'reports',
  'outbox',
];

/** Columns shared by quarantine and skipped (SCHEMA.md: "same shape"). */
const problemColumns = `
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id             bigint REFERENCES migration.runs (id),
  entity             text NOT NULL,
  legacy_key         text NOT NULL,
  legacy_partner_id  int,
  reason             text NOT NULL,
  detail             text,
  raw                jsonb,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE migration.waves (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name              text NOT NULL UNIQUE,
  status            text NOT NULL DEFAULT 'planned',
  planned_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  lease_owner       text,
  lease_expires_at  timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE migration.wave_partners (
  wave_id            bigint NOT NULL REFERENCES migration.waves (id),
  legacy_partner_id  int NOT NULL,
  state              text NOT NULL DEFAULT 'planned'
                     CHECK (state IN ('planned', 'notified', 'loading', 'loaded', 'verified', 'cutover', 'done', 'failed')),
  failure_reason     text,
  planned_at         timestamptz,
  notified_at        timestamptz,
  loading_at         timestamptz,
  loaded_at          timestamptz,
  verified_at        timestamptz,
  cutover_at         timestamptz,
  done_at            timestamptz,
  failed_at          timestamptz,
  watermark          text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (wave_id, legacy_partner_id),
  CONSTRAINT cutover_needs_verified CHECK (state NOT IN ('cutover', 'done') OR verified_at IS NOT NULL),
  CONSTRAINT done_needs_cutover CHECK (state <> 'done' OR cutover_at IS NOT NULL)
);
CREATE INDEX wave_partners_legacy_partner_id_idx ON migration.wave_partners (legacy_partner_id);

-- Whoever moves a partner, the step's timestamp is stamped and later steps are forgotten, so the
-- CHECKs above hold: a partner sent back to loading must be verified again before cutover.
CREATE OR REPLACE FUNCTION migration.stamp_partner_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Step timestamps belong to this trigger: hand-written values are ignored, so none can be forged.
  IF TG_OP = 'INSERT' THEN
    NEW.planned_at := NULL; NEW.notified_at := NULL; NEW.loading_at := NULL; NEW.loaded_at := NULL;
    NEW.verified_at := NULL; NEW.cutover_at := NULL; NEW.done_at := NULL; NEW.failed_at := NULL;
  ELSE
    NEW.planned_at := OLD.planned_at; NEW.notified_at := OLD.notified_at; NEW.loading_at := OLD.loading_at;
    NEW.loaded_at := OLD.loaded_at; NEW.verified_at := OLD.verified_at; NEW.cutover_at := OLD.cutover_at;
    NEW.done_at := OLD.done_at; NEW.failed_at := OLD.failed_at;
    IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
      RETURN NEW;
    END IF;
  END IF;
  CASE NEW.state
    WHEN 'planned' THEN
      NEW.planned_at := now(); NEW.notified_at := NULL; NEW.loading_at := NULL; NEW.loaded_at := NULL;
      NEW.verified_at := NULL; NEW.cutover_at := NULL; NEW.done_at := NULL;
    WHEN 'notified' THEN
      NEW.notified_at := now(); NEW.loading_at := NULL; NEW.loaded_at := NULL;
      NEW.verified_at := NULL; NEW.cutover_at := NULL; NEW.done_at := NULL;
    WHEN 'loading' THEN
      NEW.loading_at := now(); NEW.loaded_at := NULL; NEW.verified_at := NULL; NEW.cutover_at := NULL; NEW.done_at := NULL;
    WHEN 'loaded' THEN
      NEW.loaded_at := now(); NEW.verified_at := NULL; NEW.cutover_at := NULL; NEW.done_at := NULL;
    WHEN 'verified' THEN
      NEW.verified_at := now(); NEW.cutover_at := NULL; NEW.done_at := NULL;
    WHEN 'cutover' THEN
      NEW.cutover_at := now(); NEW.done_at := NULL;
    WHEN 'done' THEN
      NEW.done_at := now();
    WHEN 'failed' THEN
      NEW.failed_at := now();
  END CASE;
  IF NEW.state <> 'failed' THEN
    NEW.failure_reason := NULL;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER wave_partners_stamp_state BEFORE INSERT OR UPDATE ON migration.wave_partners
  FOR EACH ROW EXECUTE FUNCTION migration.stamp_partner_state();

CREATE TABLE migration.runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  status       text NOT NULL DEFAULT 'running',
  wave_id      bigint REFERENCES migration.waves (id),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  watermark    numeric(20),
  counts       jsonb NOT NULL DEFAULT '{}'::jsonb,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_wave_id_idx ON migration.runs (wave_id, started_at);

CREATE TABLE migration.checkpoints (
  run_id             bigint NOT NULL REFERENCES migration.runs (id),
  legacy_partner_id  int NOT NULL,
  job_key            text NOT NULL,
  cursor             bigint,
  done               boolean NOT NULL DEFAULT false,
  counts             jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, legacy_partner_id, job_key)
);

CREATE TABLE migration.watermarks (
  source_table  text PRIMARY KEY,
  row_version   numeric(20) NOT NULL,
  run_id        bigint REFERENCES migration.runs (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE migration.id_map (
  legacy_table    text NOT NULL,
  legacy_key      text NOT NULL,
  marketplace_id  text NOT NULL,
  run_id          bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (legacy_table, legacy_key),
  CONSTRAINT id_map_marketplace_id_key UNIQUE (marketplace_id)
);

CREATE TABLE migration.quarantine (${problemColumns});
CREATE UNIQUE INDEX quarantine_open_key ON migration.quarantine (entity, legacy_key) WHERE resolved_at IS NULL;
CREATE INDEX quarantine_partner_idx ON migration.quarantine (legacy_partner_id);

CREATE TABLE migration.skipped (${problemColumns});
CREATE UNIQUE INDEX skipped_open_key ON migration.skipped (entity, legacy_key) WHERE resolved_at IS NULL;
CREATE INDEX skipped_partner_idx ON migration.skipped (legacy_partner_id);

CREATE TABLE migration.findings (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id             bigint NOT NULL REFERENCES migration.runs (id),
  entity             text NOT NULL,
  legacy_key         text NOT NULL,
  legacy_partner_id  int,
  code               text NOT NULL,
  detail             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT findings_once_per_run UNIQUE (run_id, entity, legacy_key, code)
);
CREATE INDEX findings_partner_idx ON migration.findings (legacy_partner_id);

CREATE TABLE migration.reconciliations (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id             bigint NOT NULL REFERENCES migration.runs (id),
  "check"            text NOT NULL,
  entity             text,
  legacy_partner_id  int,
  expected           text,
  actual             text,
  passed             boolean NOT NULL,
  detail             jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliations_run_idx ON migration.reconciliations (run_id, legacy_partner_id);

CREATE TABLE migration.reports (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id           bigint NOT NULL UNIQUE REFERENCES migration.runs (id),
  body             jsonb NOT NULL,
  sha256           text NOT NULL,
  previous_sha256  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE migration.outbox (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_key          text NOT NULL UNIQUE,
  kind               text NOT NULL,
  payload            jsonb NOT NULL DEFAULT '{}'::jsonb,
  legacy_partner_id  int,
  enqueued_at        timestamptz,
  sent_at            timestamptz,
  attempts           int NOT NULL DEFAULT 0,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_unsent_idx ON migration.outbox (created_at) WHERE sent_at IS NULL;
`);
  for (const table of TABLES) await knex.raw(touchUpdatedAt(`migration.${table}`));
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.raw(`DROP TABLE IF EXISTS migration.${table} CASCADE`);
  await knex.raw('DROP FUNCTION IF EXISTS migration.stamp_partner_state()');
}
