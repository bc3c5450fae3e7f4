import type { PartnerRowCounts } from './source-reader';

/** The tables counted per partner: own rows by PartnerId, lines through their parent. */
export const COUNTED_TABLES: ReadonlyArray<{
  entity: keyof PartnerRowCounts;
  table: string;
  parent?: { table: string; key: string };
}> = [
  { entity: 'partner', table: 'Partners' },
  { entity: 'user', table: 'PartnerUsers' },
  { entity: 'customer', table: 'Customers' },
  { entity: 'order', table: 'Orders' },
  { entity: 'order_line', table: 'OrderLines', parent: { table: 'Orders', key: 'OrderId' } },
  { entity: 'invoice', table: 'Invoices' },
  { entity: 'invoice_line', table: 'InvoiceLines', parent: { table: 'Invoices', key: 'InvoiceId' } },
];

/** Grouped counts (rows of `p`, `n`) of each table gathered into one PartnerRowCounts per partner; absent means 0. */
export function gatherCounts(
  partnerIds: number[],
  perTable: ReadonlyArray<{ entity: keyof PartnerRowCounts; rows: ReadonlyArray<Record<string, unknown>> }>,
): Map<number, PartnerRowCounts> {
  const counts = new Map<number, PartnerRowCounts>(
    partnerIds.map((id) => [
      id,
      { partner: 0, user: 0, customer: 0, order: 0, order_line: 0, invoice: 0, invoice_line: 0 },
    ]),
  );
  for (const { entity, rows } of perTable) {
    for (const row of rows) {
      const target = counts.get(Number(row.p));
      if (target) target[entity] = Number(row.n);
    }
  }
  return counts;
}
