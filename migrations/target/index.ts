import type { Knex } from 'knex';
import * as schemasAndRoles from './0001-schemas-and-roles';
import * as marketplace from './0002-marketplace';
import * as archive from './0003-archive';
import * as migrationState from './0004-migration-state';
import * as grants from './0005-grants';
import * as hotPathRunReferences from './0006-hot-path-run-references';
import * as archiveRowHash from './0007-archive-row-hash';
import * as marketplaceRowHash from './0008-marketplace-row-hash';
import * as lz4ReportCompression from './0009-lz4-report-compression';
import * as notify from './0010-notify';
import * as environmentId from './0011-environment-id';
import * as consoleActions from './0012-console-actions';
import * as loaderGuard from './0013-loader-guard';
import * as sync from './0015-sync';
import * as syncSchedule from './0016-sync-schedule';

/** One target migration: a name recorded in knex_migrations, and its steps. */
export interface TargetMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** In order. Append only: a shipped migration is never edited or renamed. */
export const TARGET_MIGRATIONS: ReadonlyArray<TargetMigration> = [
  { name: '0001-schemas-and-roles', up: schemasAndRoles.up, down: schemasAndRoles.down },
  { name: '0002-marketplace', up: marketplace.up, down: marketplace.down },
  { name: '0003-archive', up: archive.up, down: archive.down },
  { name: '0004-migration-state', up: migrationState.up, down: migrationState.down },
  { name: '0005-grants', up: grants.up, down: grants.down },
  { name: '0006-hot-path-run-references', up: hotPathRunReferences.up, down: hotPathRunReferences.down },
  { name: '0007-archive-row-hash', up: archiveRowHash.up, down: archiveRowHash.down },
  { name: '0008-marketplace-row-hash', up: marketplaceRowHash.up, down: marketplaceRowHash.down },
  { name: '0009-lz4-report-compression', up: lz4ReportCompression.up, down: lz4ReportCompression.down },
  { name: '0010-notify', up: notify.up, down: notify.down },
  { name: '0011-environment-id', up: environmentId.up, down: environmentId.down },
  { name: '0012-console-actions', up: consoleActions.up, down: consoleActions.down },
  { name: '0013-loader-guard', up: loaderGuard.up, down: loaderGuard.down },
  { name: '0015-sync', up: sync.up, down: sync.down },
  { name: '0016-sync-schedule', up: syncSchedule.up, down: syncSchedule.down },
];

/**
 * The target migrations as a knex MigrationSource: a static list imported statically, so it
 * works from .ts under jest and from dist/ after tsc, with no directory scanning.
 */
export const targetMigrationSource: Knex.MigrationSource<TargetMigration> = {
  getMigrations: async () => [...TARGET_MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

export { SELLER_COUNTRIES, sellerId } from './0002-marketplace';
export { ROLES } from './0001-schemas-and-roles';
