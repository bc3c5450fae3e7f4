import type { Knex } from 'knex';

/** One distinct combination of raw and mapped archive values, with how many rows carry it and one example key. */
export interface MappingCombination {
  entity: 'order' | 'order_line' | 'invoice';
  raw: Record<string, string | number | null>;
  mapped: Record<string, string | null>;
  rows: number;
  exampleKey: number;
}

/**
 * The distinct (raw, mapped) value combinations of these partners' archived orders and invoices,
 * per partner: enum mappings, account and licensee ids (order lines': readArchiveDigests). A
 * partner has a handful of them whatever its size, so the mapping can be recomputed for each
 * combination outside the database.
 */
export async function readArchiveMappings(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
): Promise<Map<number, MappingCombination[]>> {
  const result = new Map<number, MappingCombination[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const ids = { ids: [...partnerIds] };
  // Orders' enum mappings and their licensee mappings in one scan of the partners' orders (two
  // grouping sets; GROUPING() tells them apart), invoices' beside it.
  const [orderRows, invoices] = await Promise.all([
    db.raw(
      `SELECT legacy_partner_id AS p, order_type, status, marketplace_type, marketplace_status, account_id,
              legacy_customer_id, licensee_id, GROUPING(legacy_customer_id, licensee_id) <> 0 AS by_type,
              count(*)::int AS n, min(legacy_order_id) AS k
         FROM archive.orders
        WHERE legacy_partner_id = ANY(:ids::int[]) AND deleted_at IS NULL
        GROUP BY GROUPING SETS (
          (legacy_partner_id, order_type, status, marketplace_type, marketplace_status, account_id),
          (legacy_partner_id, legacy_customer_id, licensee_id))`,
      ids,
    ),
    db.raw(
      `SELECT legacy_partner_id AS p, document_type_raw, status, document_type, marketplace_status, account_id,
              count(*)::int AS n, min(legacy_invoice_id) AS k
         FROM archive.invoices
        WHERE legacy_partner_id = ANY(:ids::int[]) AND deleted_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6`,
      ids,
    ),
  ]);
  const grouped = orderRows.rows as Array<Record<string, unknown>>;
  const orders = { rows: grouped.filter((row) => row.by_type === true) };
  const licensees = { rows: grouped.filter((row) => row.by_type !== true) };
  type Row = Record<string, string | number | null> & { p: number; n: number; k: number };
  const push = (row: Row, combo: Omit<MappingCombination, 'rows' | 'exampleKey'>) => {
    result.get(Number(row.p))?.push({ ...combo, rows: row.n, exampleKey: Number(row.k) });
  };
  const text = (value: string | number | null) => value as string | null;
  for (const row of orders.rows as unknown as Row[]) {
    push(row, {
      entity: 'order',
      raw: { order_type: row.order_type, status: row.status },
      mapped: {
        marketplace_type: text(row.marketplace_type),
        marketplace_status: text(row.marketplace_status),
        account_id: text(row.account_id),
      },
    });
  }
  for (const row of licensees.rows as unknown as Row[]) {
    push(row, {
      entity: 'order',
      raw: { legacy_customer_id: row.legacy_customer_id },
      mapped: { licensee_id: text(row.licensee_id) },
    });
  }
  for (const row of invoices.rows as Row[]) {
    push(row, {
      entity: 'invoice',
      raw: { document_type_raw: row.document_type_raw, status: row.status },
      mapped: {
        document_type: text(row.document_type),
        marketplace_status: text(row.marketplace_status),
        account_id: text(row.account_id),
      },
    });
  }
  return result;
}

/** An archived order whose ordered_at is not its local order date read in the legacy zone by PostgreSQL. */
export interface OrderedAtOutlier {
  key: number;
  /** NULL when the archive lost the local time (the archive's own check names that column). */
  local: string | null;
  orderedAt: string | null;
}

/**
 * Orders whose ordered_at is not the order_date_local read in `zone` by PostgreSQL: DST edge
 * cases, sentinels and real differences, per partner. Few; the caller recomputes each through the mapping.
 */
export async function readOrderedAtOutliers(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  zone: string,
): Promise<Map<number, OrderedAtOutlier[]>> {
  const result = new Map<number, OrderedAtOutlier[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const rows = await db.raw<{ rows: Array<{ p: number; k: number; local: string | null; ordered_at: string | null }> }>(
    `SELECT legacy_partner_id AS p, legacy_order_id AS k,
            to_char(order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS local, ordered_at
       FROM archive.orders
      WHERE legacy_partner_id = ANY(?::int[]) AND deleted_at IS NULL
        AND ordered_at IS DISTINCT FROM (order_date_local AT TIME ZONE ?)`,
    [[...partnerIds], zone],
  );
  for (const row of rows.rows)
    result.get(Number(row.p))?.push({ key: row.k, local: row.local, orderedAt: row.ordered_at });
  return result;
}
