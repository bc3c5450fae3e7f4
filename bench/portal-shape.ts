/**
 * What the seeder made of a shape: partners, legacy rows per table, and how the rows spread over
 * the partners (median, 90th percentile and largest partner, partners under SMALL_PARTNER_ROWS).
 */
import type { PartnerRowCounts } from '../src/extract/source-reader';

/** Legacy table name of each counted entity, as pgloader and the legacy DDL name them. */
export const LEGACY_TABLE_OF: Record<keyof PartnerRowCounts, string> = {
  partner: 'Partners',
  user: 'PartnerUsers',
  customer: 'Customers',
  order: 'Orders',
  order_line: 'OrderLines',
  invoice: 'Invoices',
  invoice_line: 'InvoiceLines',
};

export const SMALL_PARTNER_ROWS = 300;

export interface PortalShape {
  partners: number;
  rows: number;
  /** Rows per legacy table (Partners, PartnerUsers, ...). */
  perTable: Record<string, number>;
  medianPartnerRows: number;
  p90PartnerRows: number;
  maxPartnerRows: number;
  /** Partners with fewer than SMALL_PARTNER_ROWS rows. */
  smallPartners: number;
  /** Share of all rows held by the largest partner. */
  largestShare: number;
}

export function portalShape(counts: ReadonlyMap<number, PartnerRowCounts>): PortalShape {
  const perTable: Record<string, number> = Object.fromEntries(Object.values(LEGACY_TABLE_OF).map((t) => [t, 0]));
  const sizes: number[] = [];
  for (const partner of counts.values()) {
    let size = 0;
    for (const [entity, table] of Object.entries(LEGACY_TABLE_OF) as [keyof PartnerRowCounts, string][]) {
      perTable[table] += partner[entity];
      size += partner[entity];
    }
    sizes.push(size);
  }
  sizes.sort((a, b) => a - b);
  const rows = sizes.reduce((sum, size) => sum + size, 0);
  const at = (q: number) => (sizes.length === 0 ? 0 : sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))]);
  const max = sizes[sizes.length - 1] ?? 0;
  return {
    partners: sizes.length,
    rows,
    perTable,
    medianPartnerRows:
      sizes.length % 2 === 1 || sizes.length === 0
        ? at(0.5)
        : (sizes[sizes.length / 2 - 1] + sizes[sizes.length / 2]) / 2,
    p90PartnerRows: at(0.9),
    maxPartnerRows: max,
    smallPartners: sizes.filter((size) => size < SMALL_PARTNER_ROWS).length,
    largestShare: rows === 0 ? 0 : max / rows,
  };
}
