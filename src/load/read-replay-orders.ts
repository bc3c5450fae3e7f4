import type { Knex } from 'knex';
import type { ReplayLine, ReplayOrder } from '../core/replay-model';

export type { ReplayLine as ReplayOrderLine, ReplayOrder };

interface ReplayRow {
  legacy_order_id: number;
  order_type: string;
  status: string;
  order_date_local: string;
  legacy_customer_id: number | null;
  legacy_order_line_id: number | null;
  subscription_ref: string | null;
  sku: string;
  product_name: string;
  quantity: number;
  billing_frequency_raw: string;
  term_months: number | null;
}

/**
 * The archived orders of one partner whose marketplace status is Completed, with their lines,
 * in replay order (local order date, then order id; lines by line number). Rows deleted in the
 * legacy database (deleted_at set) are left out.
 */
export async function readReplayOrders(db: Knex, partnerId: number): Promise<ReplayOrder[]> {
  const result = await db.raw<{ rows: ReplayRow[] }>(
    `SELECT o.legacy_order_id, o.order_type, o.status,
            to_char(o.order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS order_date_local,
            o.legacy_customer_id, l.legacy_order_line_id, NULLIF(btrim(l.subscription_ref), '') AS subscription_ref, l.sku, l.product_name,
            l.quantity, l.billing_frequency_raw, l.term_months
       FROM archive.orders o
       LEFT JOIN archive.order_lines l ON l.legacy_order_id = o.legacy_order_id AND l.deleted_at IS NULL
      WHERE o.legacy_partner_id = ? AND o.marketplace_status = 'Completed' AND o.deleted_at IS NULL
      ORDER BY o.order_date_local, o.legacy_order_id, l.line_no, l.legacy_order_line_id`,
    [partnerId],
  );
  const orders: ReplayOrder[] = [];
  let current: ReplayOrder | undefined;
  for (const row of result.rows) {
    if (!current || current.orderId !== row.legacy_order_id) {
      current = {
        orderId: row.legacy_order_id,
        orderType: row.order_type,
        status: row.status,
        orderDateLocal: row.order_date_local,
        customerId: row.legacy_customer_id,
        lines: [],
      };
      orders.push(current);
    }
    if (row.legacy_order_line_id !== null) {
      current.lines.push({
        subscriptionRef: row.subscription_ref,
        sku: row.sku,
        productName: row.product_name,
        quantity: row.quantity,
        billingFrequency: row.billing_frequency_raw,
        termMonths: row.term_months,
      });
    }
  }
  return orders;
}
