import type sql from 'mssql';
import type { EngineDialect } from '../engine-dialect';
import { connectMssqlPool, connectMssqlReader, describeMssqlUrl } from './connect';
import { converters } from './convert-row';
import { applyDdl } from './sql/apply-ddl';
import { buildCountPartnerRowsQuery } from './sql/count-partner-rows';
import { buildCountRowsByPartnerQueries } from './sql/count-rows-by-partner';
import { createDatabase } from './sql/create-database';
import { dropLegacySchema } from './sql/drop-legacy-schema';
import { hasTable } from './sql/has-table';
import { insertRows } from './sql/insert-rows';
import { isPartnersEmpty } from './sql/is-partners-empty';
import { buildListPartnerIdsQuery } from './sql/list-partner-ids';
import { createPortalMarker } from './sql/portal-marker';
import { buildKeyChecksumsQuery, buildPartnerDigestsQuery, buildRangeChecksumsQuery } from './sql/range-checksums';
import { buildReadCanonicalRowsQuery } from './sql/read-canonical-rows';
import { buildLinesOfParentsQuery, buildLinesOfPartnersQuery } from './sql/read-lines-of-parents';
import { buildPartitionBoundsQuery } from './sql/read-partition-bounds';
import { buildReadPartnerQuery } from './sql/read-partner';
import { buildPartnerRowsPageQuery } from './sql/read-partner-rows-page';
import { buildRowsOfPartnersPageQuery } from './sql/read-rows-of-partners';
import { buildReadWatermarkQuery } from './sql/read-watermark';
import { buildUpdatePortalModeQuery } from './sql/update-portal-mode';
import {
  buildChangedRowsQuery,
  buildKeyDigestsQuery,
  buildKeysOfPartnerQuery,
  buildLinesOfParentKeysQuery,
  buildRowsByKeysQuery,
} from './sql/sync-reads';
import { execute, selectRows, type MssqlQuery } from './sql/query';
import { translateMssqlError } from './translate-error';

/** SQL Server: its pools, statements, converters and error translation behind the shared reader and admin. */
export const MSSQL_DIALECT: EngineDialect<sql.ConnectionPool, MssqlQuery> = {
  engine: 'mssql',
  ddlFile: 'mssql.sql',
  describeUrl: describeMssqlUrl,
  connectReader: (url, poolSize, queryTimeoutMs) => connectMssqlReader(url, { poolMax: poolSize, queryTimeoutMs }),
  connectAdmin: (url) => connectMssqlPool(url, { poolMax: 2 }),
  connectServer: (url) => connectMssqlPool(url, { toMaster: true, poolMax: 1 }),
  close: (db) => db.close(),
  translateError: translateMssqlError,
  converters,
  selectRows,
  execute,
  sql: {
    buildReadWatermarkQuery,
    buildListPartnerIdsQuery,
    buildReadPartnerQuery,
    buildPartnerRowsPageQuery,
    buildLinesOfParentsQuery,
    buildLinesOfPartnersQuery,
    buildPartitionBoundsQuery,
    buildCountPartnerRowsQuery,
    buildCountRowsByPartnerQueries,
    buildRangeChecksumsQuery,
    buildKeyChecksumsQuery,
    buildReadCanonicalRowsQuery,
    buildPartnerDigestsQuery,
    buildRowsOfPartnersPageQuery,
    buildUpdatePortalModeQuery,
    buildChangedRowsQuery,
    buildRowsByKeysQuery,
    buildLinesOfParentKeysQuery,
    buildKeyDigestsQuery,
    buildKeysOfPartnerQuery,
    createDatabase,
    hasTable,
    applyDdl,
    isPartnersEmpty,
    createPortalMarker,
    dropLegacySchema,
    insertRows,
  },
};
