import { oneLine } from '../../one-line';
import { PORTAL_MARKER_TABLE } from '../../portal-marker';
import type { MssqlQueryable } from './query';
import { execute } from './query';

/** Children before parents, for the foreign keys. */
export const DROP_LEGACY_SCHEMA_SQL = oneLine`
  DROP TABLE IF EXISTS [dbo].[InvoiceLines], [dbo].[Invoices], [dbo].[OrderLines],
    [dbo].[Orders], [dbo].[Customers], [dbo].[PartnerUsers], [dbo].[Partners]`;

/** ppm's marker goes last: a reset that fails half-way leaves a database ppm may still reset. */
export const DROP_PORTAL_MARKER_SQL = `DROP TABLE IF EXISTS [dbo].[${PORTAL_MARKER_TABLE}]`;

export async function dropLegacySchema(db: MssqlQueryable): Promise<void> {
  await execute(db, { sql: DROP_LEGACY_SCHEMA_SQL, params: [] });
  await execute(db, { sql: DROP_PORTAL_MARKER_SQL, params: [] });
}
