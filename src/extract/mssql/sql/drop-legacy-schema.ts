import { oneLine } from '../../one-line';
import type { MssqlQueryable } from './query';
import { execute } from './query';

/** Children before parents, for the foreign keys. */
export const DROP_LEGACY_SCHEMA_SQL = oneLine`
  DROP TABLE IF EXISTS [dbo].[InvoiceLines], [dbo].[Invoices], [dbo].[OrderLines],
    [dbo].[Orders], [dbo].[Customers], [dbo].[PartnerUsers], [dbo].[Partners]`;

export async function dropLegacySchema(db: MssqlQueryable): Promise<void> {
  await execute(db, { sql: DROP_LEGACY_SCHEMA_SQL, params: [] });
}
