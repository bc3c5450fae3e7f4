import type { LegacyTableName } from './source-reader';

/**
 * The table that marks a legacy database as one ppm created (`ppm legacy init`, `ppm legacy
 * seed`, `ppm demo`): created with the schema, never part of the legacy DDL, so a real portal
 * never has it. Only a database holding it may be reset (its legacy tables dropped).
 */
export const PORTAL_MARKER_TABLE = 'ppm_synthetic_portal';

/** The note of the marker's one row, for whoever finds the table. */
export const PORTAL_MARKER_NOTE = 'synthetic portal created by ppm; ppm legacy seed --reset may drop its tables';

/** Every table of the legacy DDL: a database holding any of them without the marker looks like a real portal. */
export const LEGACY_TABLES: readonly LegacyTableName[] = [
  'Partners',
  'PartnerUsers',
  'Customers',
  'Orders',
  'OrderLines',
  'Invoices',
  'InvoiceLines',
];
