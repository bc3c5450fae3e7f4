import type { Knex } from 'knex';

/**
 * Least privilege for the loader. The archive write guard of 0001 opened to any session that
 * declared `ppm.archive_write`; it now also asks that the session's role be `ppm_loader` (or
 * a member of it: the owner, a superuser), so a session of another role that was granted a
 * write by mistake still cannot switch it on. And the loader, which owns no table, refreshes
 * planner statistics through one function of the owner's that analyzes the pipeline's tables only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE OR REPLACE FUNCTION migration.guard_archive_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('ppm.archive_write', true), '') <> 'on' THEN
    RAISE EXCEPTION 'archive.% is read-only: % outside a load transaction', TG_TABLE_NAME, TG_OP
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'the loader runs SET LOCAL ppm.archive_write = ''on'' in its transaction';
  END IF;
  IF NOT pg_has_role(current_user, 'ppm_loader', 'MEMBER') THEN
    RAISE EXCEPTION 'archive.% is read-only: % by role %, which is not ppm_loader', TG_TABLE_NAME, TG_OP, current_user
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'only the loader (ppm_loader) may write the archive';
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION migration.analyze_tables(tables regclass[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  one regclass;
BEGIN
  FOREACH one IN ARRAY tables LOOP
    IF (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = one)
       NOT IN ('marketplace', 'archive', 'migration') THEN
      RAISE EXCEPTION '% is not a table of the migration', one USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ANALYZE %s', one);
  END LOOP;
END
$$;
REVOKE ALL ON FUNCTION migration.analyze_tables(regclass[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION migration.analyze_tables(regclass[]) TO ppm_loader;
`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
DROP FUNCTION IF EXISTS migration.analyze_tables(regclass[]);
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
