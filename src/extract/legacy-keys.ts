import type { LegacyTableName } from './source-reader';

/** Each legacy table's primary key, the key its keyset pages run on. */
export const PRIMARY_KEY: Record<LegacyTableName, string> = {
  Partners: 'PartnerId',
  PartnerUsers: 'UserId',
  Customers: 'CustomerId',
  Orders: 'OrderId',
  OrderLines: 'OrderLineId',
  Invoices: 'InvoiceId',
  InvoiceLines: 'InvoiceLineId',
};

/** The tables read per partner by keyset on their primary key. */
export type PartnerOwnedTable = 'PartnerUsers' | 'Customers' | 'Orders' | 'Invoices';

/** Line tables and the parent each one hangs off; a line belongs to its parent's partner. */
export const LINES_OF = {
  OrderLines: { parent: 'Orders', parentKey: 'OrderId', lineKey: 'OrderLineId' },
  InvoiceLines: { parent: 'Invoices', parentKey: 'InvoiceId', lineKey: 'InvoiceLineId' },
} as const;

export type LineTable = keyof typeof LINES_OF;

/** The entities split into partitions, by their table and key. */
export const PARTITIONED = {
  order: { table: 'Orders', key: 'OrderId' },
  invoice: { table: 'Invoices', key: 'InvoiceId' },
} as const;

export type PartitionedEntity = keyof typeof PARTITIONED;
