import type { Knex } from 'knex';
import type { ReplayLine, ReplayOrder } from '../core/replay-model';

export type { ReplayLine as ReplayOrderLine, ReplayOrder };

// partner, order id, type, status, local date text, customer, line no, line id, ref, sku, product, quantity, frequency, term.
type ReplayRow = [number, number, string, string, string, number, number, number, string, string, string, number, string, number | null];

/**
 * What the subscription replay can use of these partners' archive: orders whose marketplace
 * status is Completed and that have a customer, with their lines that carry a subscription
 * reference (trimmed; blank is none), each order's lines in LineNo order. Rows deleted in the
 * legacy database (deleted_at set) are left out. replaySubscriptions puts orders in replay order.
 * Read as arrays, unsorted by the database: a wave's history is hundreds of thousands of lines.
 */
export async function readReplayOrdersOfPartners(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, ReplayOrder[]>> {
  const result = new Map<number, ReplayOrder[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const { rows } = await db.raw<{ rows: ReplayRow[] }>(
    `SELECT o.legacy_partner_id, o.legacy_order_id, o.order_type, o.status,
            to_char(o.order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS'), o.legacy_customer_id,
            l.line_no, l.legacy_order_line_id, btrim(l.subscription_ref), l.sku, l.product_name, l.quantity, l.billing_frequency_raw, l.term_months
       FROM archive.orders o
       JOIN archive.order_lines l ON l.legacy_order_id = o.legacy_order_id AND l.deleted_at IS NULL
      WHERE o.legacy_partner_id = ANY(?::int[]) AND o.marketplace_status = 'Completed' AND o.deleted_at IS NULL
        AND o.legacy_customer_id IS NOT NULL AND NULLIF(btrim(l.subscription_ref), '') IS NOT NULL`,
    [[...partnerIds]],
  ).options({ rowMode: 'array' });
  // Each order with the (LineNo, OrderLineId) of its lines, to put the lines in order once all are read.
  const orders = new Map<number, { order: ReplayOrder; positions: Array<[number, number]> }>();
  for (const row of rows) {
    const [partnerId, orderId] = row;
    let entry = orders.get(orderId);
    if (entry === undefined) {
      entry = { order: { orderId, orderType: row[2], status: row[3], orderDateLocal: row[4], customerId: row[5], lines: [] }, positions: [] };
      orders.set(orderId, entry);
      result.get(partnerId)?.push(entry.order);
    }
    entry.positions.push([row[6], row[7]]);
    entry.order.lines.push({ subscriptionRef: row[8], sku: row[9], productName: row[10], quantity: row[11], billingFrequency: row[12], termMonths: row[13] });
  }
  for (const { order, positions } of orders.values()) {
    if (order.lines.length > 1) {
      const byPosition = order.lines.map((_, index) => index).sort((a, b) => positions[a][0] - positions[b][0] || positions[a][1] - positions[b][1]);
      order.lines = byPosition.map((index) => order.lines[index]);
    }
  }
  return result;
}

/** readReplayOrdersOfPartners for one partner. */
export async function readReplayOrders(db: Knex, partnerId: number): Promise<ReplayOrder[]> {
  return (await readReplayOrdersOfPartners(db, [partnerId])).get(partnerId) ?? [];
}
