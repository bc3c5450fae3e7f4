import type { Knex } from 'knex';
import { Query, type ClientBase, type QueryArrayConfig } from 'pg';
import type { ReplayLine, ReplayOrder } from '../core/replay-model';

export type { ReplayLine as ReplayOrderLine, ReplayOrder };

// partner, order id, type, status, local date text, customer, line no, line id, ref, sku, product, quantity, frequency, term.
type ReplayRow = [number, number, string, string, string, number, number, number, string, string, string, number, string, number | null];

const REPLAY_SQL = `SELECT o.legacy_partner_id, o.legacy_order_id, o.order_type, o.status,
            to_char(o.order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS'), o.legacy_customer_id,
            l.line_no, l.legacy_order_line_id, btrim(l.subscription_ref), l.sku, l.product_name, l.quantity, l.billing_frequency_raw, l.term_months
       FROM archive.orders o
       JOIN archive.order_lines l ON l.legacy_order_id = o.legacy_order_id AND l.deleted_at IS NULL
      WHERE o.legacy_partner_id = ANY($1::int[]) AND o.marketplace_status = 'Completed' AND o.deleted_at IS NULL
        AND o.legacy_customer_id IS NOT NULL AND NULLIF(btrim(l.subscription_ref), '') IS NOT NULL`;

// OrderLineId is an SQL Server int (< 2^31) and LineNo * 2^31 stays exact below 2^53 for any LineNo under 2^22.
const LINE_ID_SPAN = 2 ** 31;

/** knex's pool, as far as borrowing one connection goes. */
interface PoolClient {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(connection: ClientBase): Promise<void>;
}

/** Runs `sql` on a connection borrowed from the pool, handing each row (as an array) to `onRow` as it arrives; rows are not collected. */
async function forEachRow<Row>(db: Knex, sql: string, values: unknown[], onRow: (row: Row) => void): Promise<void> {
  const pool = db.client as unknown as PoolClient;
  const connection = await pool.acquireConnection();
  try {
    await new Promise<void>((resolve, reject) => {
      const config: QueryArrayConfig = { text: sql, values, rowMode: 'array' };
      const query = new Query(config);
      // A failing onRow ends the work on rows, not the statement: the connection goes back to the pool only once it is idle.
      let failure: { error: unknown } | undefined;
      query.on('row', (row: Row) => {
        if (failure !== undefined) return;
        try {
          onRow(row);
        } catch (error) {
          failure = { error };
        }
      });
      query.on('error', reject);
      query.on('end', () => (failure === undefined ? resolve() : reject(failure.error)));
      connection.query(query);
    });
  } finally {
    await pool.releaseConnection(connection);
  }
}

/**
 * What the subscription replay can use of these partners' archive: orders whose marketplace
 * status is Completed and that have a customer, with their lines that carry a subscription
 * reference (trimmed; blank is none), each order's lines in LineNo order. Rows deleted in the
 * legacy database (deleted_at set) are left out. replaySubscriptions puts orders in replay order.
 * A wave's history is hundreds of thousands of lines: they are read unsorted by the database and
 * turned into orders as they arrive (no array of raw rows kept), and the few distinct order
 * types, statuses, SKUs, product names and frequencies are kept once each, not once per line.
 */
export async function readReplayOrdersOfPartners(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, ReplayOrder[]>> {
  const result = new Map<number, ReplayOrder[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const strings = new Map<string, string>();
  const intern = (value: string): string => {
    const kept = strings.get(value);
    if (kept !== undefined) return kept;
    strings.set(value, value);
    return value;
  };
  // Each order with the position of its lines (LineNo, then OrderLineId, as one number), to put them in order once all are read.
  const orders = new Map<number, { order: ReplayOrder; positions: number[] }>();
  await forEachRow<ReplayRow>(db, REPLAY_SQL, [[...partnerIds]], (row) => {
    const [partnerId, orderId] = row;
    let entry = orders.get(orderId);
    if (entry === undefined) {
      entry = {
        order: { orderId, orderType: intern(row[2]), status: intern(row[3]), orderDateLocal: row[4], customerId: row[5], lines: [] },
        positions: [],
      };
      orders.set(orderId, entry);
      result.get(partnerId)?.push(entry.order);
    }
    entry.positions.push(row[6] * LINE_ID_SPAN + row[7]);
    entry.order.lines.push({
      subscriptionRef: row[8], sku: intern(row[9]), productName: intern(row[10]), quantity: row[11], billingFrequency: intern(row[12]), termMonths: row[13],
    });
  });
  for (const { order, positions } of orders.values()) {
    if (order.lines.length > 1) {
      const byPosition = order.lines.map((_, index) => index).sort((a, b) => positions[a] - positions[b]);
      order.lines = byPosition.map((index) => order.lines[index]);
    }
  }
  return result;
}

/** readReplayOrdersOfPartners for one partner. */
export async function readReplayOrders(db: Knex, partnerId: number): Promise<ReplayOrder[]> {
  return (await readReplayOrdersOfPartners(db, [partnerId])).get(partnerId) ?? [];
}
