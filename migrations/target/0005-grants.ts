import type { Knex } from 'knex';

// Grants on existing tables plus default privileges, so tables of later migrations (created by the same owner) follow.
const GRANTS = `
GRANT USAGE ON SCHEMA marketplace, archive, migration TO ppm_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA marketplace, archive, migration TO ppm_loader;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA marketplace, archive, migration TO ppm_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA marketplace, archive, migration GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ppm_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA marketplace, archive, migration GRANT USAGE, SELECT ON SEQUENCES TO ppm_loader;

GRANT USAGE ON SCHEMA marketplace, archive TO marketplace_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA marketplace TO marketplace_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA marketplace TO marketplace_app;
GRANT SELECT ON ALL TABLES IN SCHEMA archive TO marketplace_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA marketplace GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO marketplace_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA archive GRANT SELECT ON TABLES TO marketplace_app;

GRANT USAGE ON SCHEMA archive, migration TO auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA archive, migration TO auditor;
ALTER DEFAULT PRIVILEGES IN SCHEMA archive, migration GRANT SELECT ON TABLES TO auditor;
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(GRANTS);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
REVOKE ALL ON ALL TABLES IN SCHEMA marketplace, archive, migration FROM ppm_loader, marketplace_app, auditor;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA marketplace, archive, migration FROM ppm_loader, marketplace_app, auditor;
REVOKE ALL ON SCHEMA marketplace, archive, migration FROM ppm_loader, marketplace_app, auditor;
ALTER DEFAULT PRIVILEGES IN SCHEMA marketplace, archive, migration REVOKE ALL ON TABLES FROM ppm_loader, marketplace_app, auditor;
ALTER DEFAULT PRIVILEGES IN SCHEMA marketplace, archive, migration REVOKE ALL ON SEQUENCES FROM ppm_loader, marketplace_app, auditor;
`);
}
