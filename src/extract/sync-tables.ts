import { LINES_OF, PRIMARY_KEY } from './legacy-keys';
import type { ArchivedTable, LegacyTableName } from './source-reader';

export type { ArchivedTable };

/** The legacy tables the nightly sync reads changes of, in load order. */
export const SYNCED_TABLES: ReadonlyArray<LegacyTableName> = [
  'Partners',
  'PartnerUsers',
  'Customers',
  'Orders',
  'OrderLines',
  'Invoices',
  'InvoiceLines',
];

export const ARCHIVED_TABLES: ReadonlyArray<ArchivedTable> = ['Orders', 'OrderLines', 'Invoices', 'InvoiceLines'];

/**
 * How a table reaches its partner: its own PartnerId, or (a line) its parent's. `key` is the
 * table's primary key; `reported` the key a change is reported under (a line's parent: an order
 * or invoice is always applied with all its lines).
 */
export function syncShape(table: LegacyTableName): {
  key: string;
  reported: string;
  parent?: { table: LegacyTableName; key: string };
} {
  if (table === 'OrderLines' || table === 'InvoiceLines') {
    const { parent, parentKey } = LINES_OF[table];
    return { key: PRIMARY_KEY[table], reported: parentKey, parent: { table: parent, key: parentKey } };
  }
  return { key: PRIMARY_KEY[table], reported: PRIMARY_KEY[table] };
}
