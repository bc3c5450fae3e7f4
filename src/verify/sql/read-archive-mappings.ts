import type { Knex } from 'knex';
import { readParentSpan } from './archive-canonical';

/** One distinct combination of raw and mapped archive values, with how many rows carry it and one example key. */
export interface MappingCombination {
  entity: 'order' | 'order_line' | 'invoice';
  raw: Record<string, string | number | null>;
  mapped: Record<string, string | null>;
  rows: number;
  exampleKey: number;
}

/**
 * The distinct (raw, mapped) value combinations of a partner's archive: enum mappings, account
 * and licensee ids. A partner has a handful of them whatever its size, so the mapping can be
 * recomputed for each combination outside the database.
 */
export async function readArchiveMappings(db: Knex, partnerId: number): Promise<MappingCombination[]> {
  const [orders, licensees, lines, invoices] = await Promise.all([
    db.raw(`SELECT order_type, status, marketplace_type, marketplace_status, account_id, count(*)::int AS n, min(legacy_order_id) AS k
              FROM archive.orders WHERE legacy_partner_id = ? AND deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5`, [partnerId]),
    db.raw(`SELECT legacy_customer_id, licensee_id, count(*)::int AS n, min(legacy_order_id) AS k
              FROM archive.orders WHERE legacy_partner_id = ? AND deleted_at IS NULL GROUP BY 1, 2`, [partnerId]),
    readParentSpan(db, 'order_line', partnerId).then((span) => (span === null ? { rows: [] } : db.raw(
      `SELECT l.billing_frequency_raw, l.billing_frequency, count(*)::int AS n, min(l.legacy_order_line_id) AS k
         FROM archive.order_lines l JOIN archive.orders o ON o.legacy_order_id = l.legacy_order_id
        WHERE l.legacy_order_id BETWEEN ? AND ? AND o.legacy_partner_id = ? AND l.deleted_at IS NULL GROUP BY 1, 2`,
      [span.lo, span.hi, partnerId]))),
    db.raw(`SELECT document_type_raw, status, document_type, marketplace_status, account_id, count(*)::int AS n, min(legacy_invoice_id) AS k
              FROM archive.invoices WHERE legacy_partner_id = ? AND deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5`, [partnerId]),
  ]);
  type Row = Record<string, string | number | null> & { n: number; k: number };
  const combos: MappingCombination[] = [];
  for (const row of orders.rows as Row[]) {
    combos.push({ entity: 'order', raw: { order_type: row.order_type, status: row.status },
      mapped: { marketplace_type: row.marketplace_type as string | null, marketplace_status: row.marketplace_status as string | null, account_id: row.account_id as string | null },
      rows: row.n, exampleKey: row.k });
  }
  for (const row of licensees.rows as Row[]) {
    combos.push({ entity: 'order', raw: { legacy_customer_id: row.legacy_customer_id }, mapped: { licensee_id: row.licensee_id as string | null }, rows: row.n, exampleKey: row.k });
  }
  for (const row of lines.rows as Row[]) {
    combos.push({ entity: 'order_line', raw: { billing_frequency_raw: row.billing_frequency_raw }, mapped: { billing_frequency: row.billing_frequency as string | null }, rows: row.n, exampleKey: row.k });
  }
  for (const row of invoices.rows as Row[]) {
    combos.push({ entity: 'invoice', raw: { document_type_raw: row.document_type_raw, status: row.status },
      mapped: { document_type: row.document_type as string | null, marketplace_status: row.marketplace_status as string | null, account_id: row.account_id as string | null },
      rows: row.n, exampleKey: row.k });
  }
  return combos;
}

/**
 * Orders whose ordered_at is not the order_date_local read in `zone` by PostgreSQL: DST edge
 * cases, sentinels and real differences. Few; the caller recomputes each through the mapping.
 */
export async function readOrderedAtOutliers(db: Knex, partnerId: number, zone: string): Promise<Array<{ key: number; local: string; orderedAt: string | null }>> {
  const result = await db.raw<{ rows: Array<{ k: number; local: string; ordered_at: string | null }> }>(
    `SELECT legacy_order_id AS k, to_char(order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS local, ordered_at
       FROM archive.orders
      WHERE legacy_partner_id = ? AND deleted_at IS NULL AND ordered_at IS DISTINCT FROM (order_date_local AT TIME ZONE ?)`,
    [partnerId, zone],
  );
  return result.rows.map((row) => ({ key: row.k, local: row.local, orderedAt: row.ordered_at }));
}
