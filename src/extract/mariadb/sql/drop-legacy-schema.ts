import { PORTAL_MARKER_TABLE } from '../../portal-marker';
import type { MariaDbQueryable } from './query';

/** Children before parents, for the foreign keys; the triggers go with their tables; ppm's marker last. */
export const DROP_LEGACY_SCHEMA_SQL: readonly string[] = [
  'DROP TABLE IF EXISTS `InvoiceLines`, `Invoices`, `OrderLines`, `Orders`, `Customers`, `PartnerUsers`, `Partners`',
  'DROP SEQUENCE IF EXISTS `RowVerSeq`',
  `DROP TABLE IF EXISTS \`${PORTAL_MARKER_TABLE}\``,
];

export async function dropLegacySchema(db: MariaDbQueryable): Promise<void> {
  for (const sql of DROP_LEGACY_SCHEMA_SQL) await db.query(sql);
}
