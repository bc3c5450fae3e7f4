import type { Knex } from 'knex';
import type { MoneySum } from '../../core/canonical';

/** Order totals and invoice amounts of a partner's archive per (currency, month), summed by PostgreSQL. */
export async function readArchiveMoneySums(db: Knex, partnerId: number): Promise<MoneySum[]> {
  const result = await db.raw<{ rows: Array<{ entity: 'order' | 'invoice'; currency: string; month: string; n: number; a1: string; a2: string | null; a3: string | null }> }>(
    `SELECT 'order' AS entity, currency, to_char(order_date_local, 'YYYY-MM') AS month, count(*)::int AS n,
            sum(total_amount)::text AS a1, NULL AS a2, NULL AS a3
       FROM archive.orders WHERE legacy_partner_id = ? AND deleted_at IS NULL GROUP BY 2, 3
     UNION ALL
     SELECT 'invoice', currency, to_char(invoice_date, 'YYYY-MM'), count(*)::int,
            sum(net_amount)::text, sum(tax_amount)::text, sum(gross_amount)::text
       FROM archive.invoices WHERE legacy_partner_id = ? AND deleted_at IS NULL GROUP BY 2, 3`,
    [partnerId, partnerId],
  );
  return result.rows.map((row): MoneySum => ({
    entity: row.entity, currency: row.currency, month: row.month, count: row.n,
    amounts: row.entity === 'order' ? { total: row.a1 } : { net: row.a1, tax: row.a2 ?? '0', gross: row.a3 ?? '0' },
  }));
}
