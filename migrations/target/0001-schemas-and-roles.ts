import type { Knex } from 'knex';

/** Roles are cluster-wide and several databases share one cluster: create each only if absent, tolerating a concurrent creator. */
function createRole(role: string): string {
  return `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${role} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;`;
}

export const ROLES = ['ppm_loader', 'marketplace_app', 'auditor'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const role of ROLES) await knex.raw(createRole(role));
  await knex.raw(`
CREATE SCHEMA IF NOT EXISTS marketplace;
CREATE SCHEMA IF NOT EXISTS archive;
CREATE SCHEMA IF NOT EXISTS migration;

-- Keeps updated_at current on every UPDATE; an upsert that changes nothing never gets here.
CREATE OR REPLACE FUNCTION migration.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- The archive is written only by a load transaction that declared itself with SET LOCAL ppm.archive_write = 'on'.
CREATE OR REPLACE FUNCTION migration.guard_archive_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('ppm.archive_write', true), '') <> 'on' THEN
    RAISE EXCEPTION 'archive.% is read-only: % outside a load transaction', TG_TABLE_NAME, TG_OP
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'the loader runs SET LOCAL ppm.archive_write = ''on'' in its transaction';
  END IF;
  RETURN NULL;
END
$$;
`);
}

export async function down(knex: Knex): Promise<void> {
  // Roles stay: other databases of the cluster may use them.
  await knex.raw(
    'DROP SCHEMA IF EXISTS marketplace CASCADE; DROP SCHEMA IF EXISTS archive CASCADE; DROP SCHEMA IF EXISTS migration CASCADE;',
  );
}
