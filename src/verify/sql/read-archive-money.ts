import type { Knex } from 'knex';
import { toMoneySums, type MoneySum } from '../../core/canonical';

/** Order totals and invoice amounts of these partners' archives per (partner, currency, month), summed by PostgreSQL. */
export async function readArchiveMoneySums(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, MoneySum[]>> {
  if (partnerIds.length === 0) return new Map();
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `SELECT legacy_partner_id AS pid, 'order' AS entity, currency, to_char(order_date_local, 'YYYY-MM') AS month, count(*)::int AS n,
            sum(total_amount)::text AS a1, NULL AS a2, NULL AS a3
       FROM archive.orders WHERE legacy_partner_id = ANY(:ids::int[]) AND deleted_at IS NULL GROUP BY 1, 3, 4
     UNION ALL
     SELECT legacy_partner_id, 'invoice', currency, to_char(invoice_date, 'YYYY-MM'), count(*)::int,
            sum(net_amount)::text, sum(tax_amount)::text, sum(gross_amount)::text
       FROM archive.invoices WHERE legacy_partner_id = ANY(:ids::int[]) AND deleted_at IS NULL GROUP BY 1, 3, 4`,
    { ids: [...partnerIds] },
  );
  return toMoneySums(result.rows);
}
