import { PORTAL_MARKER_NOTE, PORTAL_MARKER_TABLE } from '../../portal-marker';
import type { MssqlQuery, MssqlQueryable } from './query';
import { execute } from './query';

/** The marker table and its one row (idempotent), in two batches: created with the schema by `ppm legacy init|seed`. */
export const CREATE_PORTAL_MARKER_QUERIES: readonly MssqlQuery[] = [
  {
    sql:
      `IF OBJECT_ID(N'dbo.${PORTAL_MARKER_TABLE}', N'U') IS NULL ` +
      `CREATE TABLE [dbo].[${PORTAL_MARKER_TABLE}] ([Note] nvarchar(200) NOT NULL, ` +
      '[CreatedAtUtc] datetime2(3) NOT NULL DEFAULT SYSUTCDATETIME())',
    params: [],
  },
  {
    sql:
      `INSERT INTO [dbo].[${PORTAL_MARKER_TABLE}] ([Note]) SELECT @note ` +
      `WHERE NOT EXISTS (SELECT 1 FROM [dbo].[${PORTAL_MARKER_TABLE}])`,
    params: [{ name: 'note', type: 'NVarCharMax', value: PORTAL_MARKER_NOTE }],
  },
];

export async function createPortalMarker(db: MssqlQueryable): Promise<void> {
  for (const query of CREATE_PORTAL_MARKER_QUERIES) await execute(db, query);
}
