import type { Knex } from 'knex';
import { joinPartnerIds } from '../core/partner-ids';
import type { ReplayLine, ReplayOrder } from '../core/replay-model';
import { forEachCopyRow, type BinaryColumn } from './copy/copy-binary-rows';

export type { ReplayLine as ReplayOrderLine, ReplayOrder };

// partner, order id, type, status, local date text, customer, line no, line id, ref, sku, product, quantity, frequency, term.
type ReplayRow = [
  number,
  number,
  string,
  string,
  string,
  number,
  number,
  number,
  string,
  string,
  string,
  number,
  string,
  number | null,
];
const REPLAY_COLUMNS: ReadonlyArray<BinaryColumn> = [
  'int4',
  'int4',
  'label',
  'label',
  'text',
  'int4',
  'int4',
  'int4',
  'text',
  'label',
  'label',
  'int4',
  'label',
  'int4',
];

/** The replay read of these partners (validated integer literals: it runs as a COPY, which takes no parameters). */
function replaySql(partnerIds: ReadonlyArray<number>): string {
  return `SELECT o.legacy_partner_id, o.legacy_order_id, o.order_type, o.status,
            to_char(o.order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS'), o.legacy_customer_id,
            l.line_no, l.legacy_order_line_id, btrim(l.subscription_ref), l.sku, l.product_name, l.quantity, l.billing_frequency_raw, l.term_months
       FROM archive.orders o
       JOIN archive.order_lines l ON l.legacy_order_id = o.legacy_order_id AND l.deleted_at IS NULL
      WHERE o.legacy_partner_id = ANY('{${joinPartnerIds(partnerIds, ',')}}'::int[]) AND o.marketplace_status = 'Completed' AND o.deleted_at IS NULL
        AND o.legacy_customer_id IS NOT NULL AND NULLIF(btrim(l.subscription_ref), '') IS NOT NULL`;
}

// OrderLineId is an SQL Server int (< 2^31) and LineNo * 2^31 stays exact below 2^53 for any LineNo under 2^22.
const LINE_ID_SPAN = 2 ** 31;

/** Where each value of a line sits among its cells in a ReplayHistories partner array. */
const CELL = {
  orderId: 0,
  orderType: 1,
  status: 2,
  date: 3,
  customer: 4,
  position: 5,
  ref: 6,
  sku: 7,
  product: 8,
  quantity: 9,
  frequency: 10,
  term: 11,
} as const;
const CELLS = Object.keys(CELL).length;

/**
 * Partners' replay histories as read: each partner's lines as one flat array of cells (numbers
 * and shared strings) rather than an object per order and per line. A wave's history is hundreds
 * of thousands of lines held at once; as objects they are what the garbage collector spends its
 * time copying. A partner's orders are built when asked for, just before they are replayed.
 */
export class ReplayHistories {
  constructor(private readonly cells: ReadonlyMap<number, ReadonlyArray<unknown>>) {}

  /** These histories and `more` together (lines of one order in both become one order's). */
  with(more: ReplayHistories): ReplayHistories {
    const cells = new Map(this.cells);
    for (const [partnerId, some] of more.cells) cells.set(partnerId, [...(cells.get(partnerId) ?? []), ...some]);
    return new ReplayHistories(cells);
  }

  /** The partner's orders (none for a partner without history), each with its lines in LineNo order. */
  ordersOf(partnerId: number): ReplayOrder[] {
    const cells = this.cells.get(partnerId);
    if (cells === undefined) return [];
    const orders = new Map<number, { order: ReplayOrder; positions: number[] }>();
    for (let at = 0; at < cells.length; at += CELLS) {
      const orderId = cells[at + CELL.orderId] as number;
      let entry = orders.get(orderId);
      if (entry === undefined) {
        entry = {
          order: {
            orderId,
            orderType: cells[at + CELL.orderType] as string,
            status: cells[at + CELL.status] as string,
            orderDateLocal: cells[at + CELL.date] as string,
            customerId: cells[at + CELL.customer] as number,
            lines: [],
          },
          positions: [],
        };
        orders.set(orderId, entry);
      }
      entry.positions.push(cells[at + CELL.position] as number);
      entry.order.lines.push({
        subscriptionRef: cells[at + CELL.ref] as string,
        sku: cells[at + CELL.sku] as string,
        productName: cells[at + CELL.product] as string,
        quantity: cells[at + CELL.quantity] as number,
        billingFrequency: cells[at + CELL.frequency] as string,
        termMonths: cells[at + CELL.term] as number | null,
      });
    }
    const result: ReplayOrder[] = [];
    for (const { order, positions } of orders.values()) {
      if (!isAscending(positions)) {
        const byPosition = order.lines.map((_, index) => index).sort((a, b) => positions[a] - positions[b]);
        order.lines = byPosition.map((index) => order.lines[index]);
      }
      result.push(order);
    }
    return result;
  }
}

function isAscending(values: ReadonlyArray<number>): boolean {
  for (let index = 1; index < values.length; index += 1) if (values[index - 1] > values[index]) return false;
  return true;
}

/**
 * What the subscription replay can use of these partners' archive: orders whose marketplace
 * status is Completed and that have a customer, with their lines that carry a subscription
 * reference (trimmed; blank is none), each order's lines in LineNo order. Rows deleted in the
 * legacy database (deleted_at set) are left out. replaySubscriptions puts orders in replay order.
 * The lines are read unsorted by the database, as a binary COPY (forEachCopyRow), and kept as
 * they arrive (ReplayHistories); order types, statuses, SKUs, product names and frequencies are
 * read as labels (BinaryColumn): each distinct value one string, not one per line.
 */
export async function readReplayOrdersOfPartners(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
): Promise<ReplayHistories> {
  const cells = new Map<number, unknown[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return new ReplayHistories(cells);
  await forEachCopyRow(db, replaySql(partnerIds), REPLAY_COLUMNS, (values) => {
    const row = values as ReplayRow;
    // In CELL order.
    cells
      .get(row[0])
      ?.push(
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6] * LINE_ID_SPAN + row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        row[13],
      );
  });
  return new ReplayHistories(cells);
}

/** readReplayOrdersOfPartners for one partner. */
export async function readReplayOrders(db: Knex, partnerId: number): Promise<ReplayOrder[]> {
  return (await readReplayOrdersOfPartners(db, [partnerId])).ordersOf(partnerId);
}

/**
 * The replay input of some subscriptions only: as readReplayOrdersOfPartners, with just the lines
 * whose trimmed subscription reference is one of the partner's `refs` (every line of each, so
 * each replays as it would in the whole history). For the nightly sync and its verification,
 * which replay the subscriptions a change touches, closed over their agreements by the caller.
 * Two parameterised statements for all the partners (lines, then their orders): the scope is
 * small, no COPY needed.
 */
export async function readReplayOrdersOfRefs(
  db: Knex,
  refsByPartner: ReadonlyMap<number, ReadonlyArray<string>>,
): Promise<ReplayHistories> {
  const partnerIds = [...refsByPartner.keys()].filter((id) => refsByPartner.get(id)!.length > 0);
  const cells = new Map<number, unknown[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return new ReplayHistories(cells);
  const partners: number[] = [];
  const refs: string[] = [];
  for (const id of partnerIds) {
    for (const ref of refsByPartner.get(id)!) {
      partners.push(id);
      refs.push(ref);
    }
  }
  joinPartnerIds(partners, ','); // validates the ids
  // The lines first, on their own (one scan, the references hashed), then their orders by key in
  // a second statement: joined in one, the planner, which cannot know how few lines the refs
  // match, hashes every order of the archive (a third of the statement's time).
  const lines = await db.raw<{ rows: Record<string, unknown>[] }>(
    `SELECT legacy_order_id AS o, line_no AS n, legacy_order_line_id AS i, btrim(subscription_ref) AS r,
            sku AS k, product_name AS pn, quantity AS q, billing_frequency_raw AS f, term_months AS m
       FROM archive.order_lines
      WHERE btrim(subscription_ref) = ANY(?::text[]) AND deleted_at IS NULL`,
    [[...new Set(refs)]],
  );
  if (lines.rows.length === 0) return new ReplayHistories(cells);
  const orders = await db.raw<{ rows: Record<string, unknown>[] }>(
    `SELECT legacy_order_id AS o, legacy_partner_id AS p, order_type AS t, status AS s,
            to_char(order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS d, legacy_customer_id AS c
       FROM archive.orders
      WHERE legacy_order_id = ANY(?::int[])
        AND marketplace_status = 'Completed' AND deleted_at IS NULL AND legacy_customer_id IS NOT NULL`,
    [[...new Set(lines.rows.map((line) => line.o as number))]],
  );
  const orderOf = new Map(orders.rows.map((order) => [order.o as number, order]));
  const wanted = new Set(partners.map((partnerId, index) => `${partnerId}|${refs[index]}`));
  for (const line of lines.rows) {
    const order = orderOf.get(line.o as number);
    if (order === undefined || !wanted.has(`${order.p as number}|${line.r as string}`)) continue;
    cells
      .get(order.p as number)
      ?.push(
        line.o,
        order.t,
        order.s,
        order.d,
        order.c,
        (line.n as number) * LINE_ID_SPAN + (line.i as number),
        line.r,
        line.k,
        line.pn,
        line.q,
        line.f,
        line.m,
      );
  }
  return new ReplayHistories(cells);
}
