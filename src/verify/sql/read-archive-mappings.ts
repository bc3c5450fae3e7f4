import type { Knex } from 'knex';
import type { PartnerScope } from '../model';
import { archiveParentRows, archiveSelection } from './archive-canonical';

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
 * combination outside the database. A partner in `scope` is read over its scope's orders and
 * invoices only.
 */
export async function readArchiveMappings(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  scope?: ReadonlyMap<number, PartnerScope>,
): Promise<Map<number, MappingCombination[]>> {
  const result = new Map<number, MappingCombination[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const orderSource = archiveParentRows('order', archiveSelection(partnerIds, scope, 'order'));
  const invoiceSource = archiveParentRows('invoice', archiveSelection(partnerIds, scope, 'invoice'));
  // Orders' enum mappings and their licensee mappings in one scan of the partners' orders (two
  // grouping sets; GROUPING() tells them apart), invoices' beside it.
  const [orderRows, invoiceRows] = await Promise.all([
    db.raw(
      `SELECT t.legacy_partner_id AS p, t.order_type, t.status, t.marketplace_type, t.marketplace_status, t.account_id,
              t.legacy_customer_id, t.licensee_id, GROUPING(t.legacy_customer_id, t.licensee_id) <> 0 AS by_type,
              count(*)::int AS n, min(t.legacy_order_id) AS k
         ${orderSource.from}
        GROUP BY GROUPING SETS (
          (t.legacy_partner_id, t.order_type, t.status, t.marketplace_type, t.marketplace_status, t.account_id),
          (t.legacy_partner_id, t.legacy_customer_id, t.licensee_id))`,
      orderSource.bindings as Knex.RawBinding[],
    ),
    db.raw(
      `SELECT t.legacy_partner_id AS p, t.document_type_raw, t.status, t.document_type, t.marketplace_status, t.account_id,
              count(*)::int AS n, min(t.legacy_invoice_id) AS k
         ${invoiceSource.from}
        GROUP BY 1, 2, 3, 4, 5, 6`,
      invoiceSource.bindings as Knex.RawBinding[],
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
  for (const row of invoiceRows.rows as Row[]) {
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
 * cases, sentinels and real differences, per partner. Few; the caller recomputes each through the
 * mapping. A partner in `scope` is read over its scope's orders only.
 */
export async function readOrderedAtOutliers(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  zone: string,
  scope?: ReadonlyMap<number, PartnerScope>,
): Promise<Map<number, OrderedAtOutlier[]>> {
  const result = new Map<number, OrderedAtOutlier[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const orders = archiveParentRows('order', archiveSelection(partnerIds, scope, 'order'));
  const rows = await db.raw<{ rows: Array<{ p: number; k: number; local: string | null; ordered_at: string | null }> }>(
    `SELECT o.p, o.k, to_char(o.order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS local, o.ordered_at
       FROM (SELECT t.legacy_partner_id AS p, t.legacy_order_id AS k, t.order_date_local, t.ordered_at
               ${orders.from}) o
      WHERE o.ordered_at IS DISTINCT FROM (o.order_date_local AT TIME ZONE ?)`,
    [...orders.bindings, zone] as Knex.RawBinding[],
  );
  for (const row of rows.rows)
    result.get(Number(row.p))?.push({ key: row.k, local: row.local, orderedAt: row.ordered_at });
  return result;
}
