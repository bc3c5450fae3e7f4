import type { Knex } from 'knex';
import type { ArchiveOrderRow } from '../../core/target-model';
import type { ClientBase } from 'pg';

/** The partner states a sync keeps in step: loaded by a wave, and later. */
export const SYNCED_STATES = ['loaded', 'verified', 'cutover', 'done'] as const;

/** A partner the nightly sync keeps in step, and the watermark it is synced up to. */
export interface SyncPartner {
  waveId: number;
  waveName: string;
  partnerId: number;
  state: string;
  /** Its window starts after this: its last sync, or the watermark of the wave run that loaded it. */
  watermark: string;
}

/**
 * The partners of every wave that is not running now, in a state a wave has loaded, each with the
 * watermark it is synced up to: the greater of its own (set by each sync in the transaction of its
 * writes) and that of the latest run of its wave (a rerun reads everything again).
 */
export async function listSyncPartners(db: Knex): Promise<SyncPartner[]> {
  const result = await db.raw<{
    rows: Array<{ wave_id: string; name: string; legacy_partner_id: number; state: string; watermark: string }>;
  }>(
    `SELECT wp.wave_id, w.name, wp.legacy_partner_id, wp.state,
            GREATEST(COALESCE(wp.watermark::numeric, 0), COALESCE(r.watermark, 0))::text AS watermark
       FROM migration.wave_partners wp
       JOIN migration.waves w ON w.id = wp.wave_id
       LEFT JOIN LATERAL (
         SELECT watermark FROM migration.runs
          WHERE wave_id = wp.wave_id AND kind = 'wave' AND watermark IS NOT NULL
          ORDER BY id DESC LIMIT 1) r ON true
      WHERE wp.state = ANY(?::text[]) AND w.status <> 'running'
      ORDER BY wp.legacy_partner_id`,
    [SYNCED_STATES as unknown as string[]],
  );
  return result.rows.map((row) => ({
    waveId: Number(row.wave_id),
    waveName: row.name,
    partnerId: row.legacy_partner_id,
    state: row.state,
    watermark: row.watermark,
  }));
}

/** Records that these partners are synced up to `watermark` (in the transaction of the writes it covers). */
export async function setPartnerWatermarks(
  db: Knex | Knex.Transaction,
  partners: ReadonlyArray<{ waveId: number; partnerId: number }>,
  watermark: string,
): Promise<void> {
  if (partners.length === 0) return;
  await db.raw(
    `UPDATE migration.wave_partners wp SET watermark = ?
       FROM unnest(?::bigint[], ?::int[]) AS k(wave_id, partner_id)
      WHERE wp.wave_id = k.wave_id AND wp.legacy_partner_id = k.partner_id
        AND wp.watermark IS DISTINCT FROM ?`,
    [watermark, partners.map((p) => String(p.waveId)), partners.map((p) => p.partnerId), watermark],
  );
}

/** The synced watermark of each source table, and since when it has stood where it is. */
export interface TableWatermark {
  sourceTable: string;
  rowVersion: string;
  /** When it last moved. */
  movedAt: Date;
}

export async function readTableWatermarks(db: Knex): Promise<TableWatermark[]> {
  const rows: Array<{ source_table: string; row_version: string; updated_at: Date }> = await db('migration.watermarks')
    .select('source_table', 'row_version', 'updated_at')
    .orderBy('source_table');
  return rows.map((row) => ({
    sourceTable: row.source_table,
    rowVersion: String(row.row_version),
    movedAt: new Date(row.updated_at),
  }));
}

/** Stores the synced watermark of each table; one that did not move keeps its row (and since when it stood). */
export async function writeTableWatermarks(
  db: Knex,
  tables: ReadonlyArray<string>,
  watermark: string,
  runId: string,
): Promise<void> {
  await db.raw(
    `INSERT INTO migration.watermarks AS w (source_table, row_version, run_id)
       SELECT t, ?::numeric, ?::bigint FROM unnest(?::text[]) AS t
     ON CONFLICT (source_table) DO UPDATE SET row_version = EXCLUDED.row_version, run_id = EXCLUDED.run_id
       WHERE w.row_version <> EXCLUDED.row_version`,
    [watermark, runId, tables as string[]],
  );
}

/** Archive tables and their keys, as the sync compares key sets. */
export const ARCHIVE_KEYS = {
  Orders: { table: 'archive.orders', key: 'legacy_order_id', parent: null },
  OrderLines: {
    table: 'archive.order_lines',
    key: 'legacy_order_line_id',
    parent: { table: 'archive.orders', key: 'legacy_order_id' },
  },
  Invoices: { table: 'archive.invoices', key: 'legacy_invoice_id', parent: null },
  InvoiceLines: {
    table: 'archive.invoice_lines',
    key: 'legacy_invoice_line_id',
    parent: { table: 'archive.invoices', key: 'legacy_invoice_id' },
  },
} as const;

export type ArchiveKeyTable = keyof typeof ARCHIVE_KEYS;

function partnerRows(table: ArchiveKeyTable): { from: string; key: string; partner: string } {
  const spec = ARCHIVE_KEYS[table];
  if (!spec.parent) {
    return { from: `${spec.table} t`, key: `t.${spec.key}`, partner: 't.legacy_partner_id' };
  }
  return {
    from: `${spec.table} t JOIN ${spec.parent.table} p ON p.${spec.parent.key} = t.${spec.parent.key}`,
    key: `t.${spec.key}`,
    partner: 'p.legacy_partner_id',
  };
}

/** Per partner, the count and sum of the keys of its archive rows not marked deleted. */
export async function readArchiveKeyDigests(
  db: Knex,
  table: ArchiveKeyTable,
  partnerIds: ReadonlyArray<number>,
): Promise<Map<number, { count: number; sum: string }>> {
  const { from, key, partner } = partnerRows(table);
  const result = await db.raw<{ rows: Array<{ p: number; n: string; s: string }> }>(
    `SELECT ${partner} AS p, count(*) AS n, sum(${key})::text AS s FROM ${from}
      WHERE ${partner} = ANY(?::int[]) AND t.deleted_at IS NULL GROUP BY 1`,
    [partnerIds as number[]],
  );
  return new Map(result.rows.map((row) => [Number(row.p), { count: Number(row.n), sum: row.s ?? '0' }]));
}

/** The keys of a partner's archive rows not marked deleted, in key order. */
export async function readArchiveKeys(db: Knex, table: ArchiveKeyTable, partnerId: number): Promise<number[]> {
  const { from, key, partner } = partnerRows(table);
  const result = await db.raw<{ rows: Array<{ k: number }> }>(
    `SELECT ${key} AS k FROM ${from} WHERE ${partner} = ? AND t.deleted_at IS NULL ORDER BY 1`,
    [partnerId],
  );
  return result.rows.map((row) => Number(row.k));
}

/** Marks archive rows whose legacy row disappeared: `deleted_at`, never a physical delete. Returns how many. */
export async function markArchiveDeleted(
  client: ClientBase,
  table: ArchiveKeyTable,
  keys: ReadonlyArray<number>,
): Promise<number> {
  if (keys.length === 0) return 0;
  const spec = ARCHIVE_KEYS[table];
  await client.query(`SET LOCAL ppm.archive_write = 'on'`);
  const result = await client.query(
    `UPDATE ${spec.table} SET deleted_at = now() WHERE ${spec.key} = ANY($1::int[]) AND deleted_at IS NULL`,
    [keys],
  );
  return result.rowCount ?? 0;
}

/** Which of these keys the target table already holds (for counting inserts apart from updates). */
export async function readExistingKeys(
  client: ClientBase,
  table: string,
  keyColumn: string,
  keyType: 'int' | 'text',
  keys: ReadonlyArray<string | number>,
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const result = await client.query<{ k: string }>(
    `SELECT ${keyColumn}::text AS k FROM ${table} WHERE ${keyColumn} = ANY($1::${keyType}[])`,
    [keys.map(String)],
  );
  return new Set(result.rows.map((row) => row.k));
}

/** Invitations still `Invited` past their expiry become `InvitationExpired` (MAPPING.md). Returns how many. */
export async function expireInvitations(db: Knex | Knex.Transaction): Promise<number> {
  const changed = await db('marketplace.account_users')
    .update({ invitation_status: 'InvitationExpired' })
    .where({ invitation_status: 'Invited' })
    .whereNotNull('invitation_expires_at')
    .where('invitation_expires_at', '<', db.fn.now());
  return Number(changed);
}

/** The open quarantine rows of these partners, as `entity|legacy key`. */
export async function readOpenQuarantine(client: ClientBase, partnerIds: ReadonlyArray<number>): Promise<Set<string>> {
  const result = await client.query<{ k: string }>(
    `SELECT entity || '|' || legacy_key AS k FROM migration.quarantine
      WHERE resolved_at IS NULL AND legacy_partner_id = ANY($1::int[])`,
    [partnerIds],
  );
  return new Set(result.rows.map((row) => row.k));
}

/** Legacy keys of these partners' rows of one entity with an open quarantine or skipped row. */
export async function readOpenProblemKeys(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  entity: string,
): Promise<Set<string>> {
  if (partnerIds.length === 0) return new Set();
  const { rows } = await db.raw<{ rows: Array<{ legacy_key: string }> }>(
    `SELECT legacy_key FROM migration.quarantine
      WHERE resolved_at IS NULL AND entity = ? AND legacy_partner_id = ANY(?::int[])
     UNION
     SELECT legacy_key FROM migration.skipped
      WHERE resolved_at IS NULL AND entity = ? AND legacy_partner_id = ANY(?::int[])`,
    [entity, [...partnerIds], entity, [...partnerIds]],
  );
  return new Set(rows.map((row) => row.legacy_key));
}

/** The highest watermark a sync has brought any partner of the wave to, if one has. */
export async function readWaveSyncWatermark(db: Knex, waveId: number): Promise<string | null> {
  const row = await db('migration.wave_partners')
    .where({ wave_id: String(waveId) })
    .whereNotNull('watermark')
    .max({ watermark: db.raw('watermark::numeric') })
    .first();
  return row?.watermark == null ? null : String(row.watermark);
}

/** The archived orders of these customers (their licensee id follows the customer's). */
export async function readArchivedOrdersOfCustomers(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  customerIds: ReadonlyArray<number>,
): Promise<number[]> {
  if (customerIds.length === 0) return [];
  // By partner first: its index finds the rows, the customer list filters them.
  const rows: Array<{ legacy_order_id: number }> = await db('archive.orders')
    .select('legacy_order_id')
    .whereIn('legacy_partner_id', partnerIds as number[])
    .whereIn('legacy_customer_id', customerIds as number[])
    .whereNull('deleted_at');
  return rows.map((row) => Number(row.legacy_order_id));
}

/**
 * Sync runs left `running` by a sync that died or lost a database (called holding the sync lock,
 * so none is alive), its per-wave verification runs among them: marked failed, and the partners
 * they had applied changes to returned, to be verified again.
 */
export async function closeInterruptedSyncs(db: Knex): Promise<number[]> {
  return db.transaction(async (trx) => {
    const runs: Array<{ id: string }> = await trx('migration.runs')
      .select('id')
      .where({ kind: 'sync', status: 'running' });
    if (runs.length === 0) return [];
    const ids = runs.map((run) => String(run.id));
    const partners: Array<{ legacy_partner_id: number }> = await trx('migration.checkpoints')
      .distinct('legacy_partner_id')
      .whereIn('run_id', ids);
    await trx('migration.runs').whereIn('id', ids).update({
      status: 'failed',
      finished_at: trx.fn.now(),
      error: 'interrupted; the next sync verified the partners it had changed',
    });
    return partners.map((row) => Number(row.legacy_partner_id));
  });
}

/** Pairs of (partner, value) as two parallel arrays, for one `unnest` parameter pair. */
function pairsOf<T>(byPartner: ReadonlyMap<number, Iterable<T>>): [number[], T[]] {
  const partners: number[] = [];
  const values: T[] = [];
  for (const [partnerId, some] of byPartner) {
    for (const value of some) {
      partners.push(partnerId);
      values.push(value);
    }
  }
  return [partners, values];
}

function addTo(map: Map<number, Set<string>>, partnerId: number, value: string): void {
  const some = map.get(partnerId);
  if (some) some.add(value);
  else map.set(partnerId, new Set([value]));
}

/**
 * The subscription references the archive holds on the lines of these orders, and on these
 * lines, per partner (trimmed, blank left out): what a change to them may alter, read before the
 * change is written.
 */
export async function readArchivedRefsOfOrders(
  db: Knex,
  orderIds: ReadonlyArray<number>,
  lineIds: ReadonlyArray<number>,
): Promise<Map<number, Set<string>>> {
  const refs = new Map<number, Set<string>>();
  if (orderIds.length === 0 && lineIds.length === 0) return refs;
  const { rows } = await db.raw<{ rows: Array<{ partner_id: number; ref: string }> }>(
    `SELECT DISTINCT o.legacy_partner_id AS partner_id, btrim(l.subscription_ref) AS ref
       FROM archive.order_lines l JOIN archive.orders o ON o.legacy_order_id = l.legacy_order_id
      WHERE (l.legacy_order_id = ANY(?::int[]) OR l.legacy_order_line_id = ANY(?::int[]))
        AND NULLIF(btrim(l.subscription_ref), '') IS NOT NULL`,
    [[...orderIds], [...lineIds]],
  );
  for (const row of rows) addTo(refs, Number(row.partner_id), row.ref);
  return refs;
}

/**
 * Closes partners' subscription references over their agreements: every stored subscription of
 * an agreement that one of `refs` belongs to, or of one of `agreements` (ids the replay of the
 * refs gives), joins the set. A replay of the closed set gives those agreements whole (their
 * status and name follow from all their subscriptions).
 */
export async function closeRefsOverAgreements(
  db: Knex,
  refs: ReadonlyMap<number, ReadonlySet<string>>,
  agreements: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<Map<number, Set<string>>> {
  const closed = new Map<number, Set<string>>();
  for (const [partnerId, some] of refs) closed.set(partnerId, new Set(some));
  const [refPartners, refValues] = pairsOf(refs);
  const [agreementPartners, agreementIds] = pairsOf(agreements);
  if (refValues.length === 0 && agreementIds.length === 0) return closed;
  const { rows } = await db.raw<{ rows: Array<{ partner_id: number; ref: string }> }>(
    `WITH wanted AS (
       SELECT w.partner_id, s.agreement_id
         FROM unnest(?::int[], ?::text[]) AS w(partner_id, ref)
         JOIN marketplace.subscriptions s ON s.external_ref = w.ref
       UNION
       SELECT * FROM unnest(?::int[], ?::text[]) AS a(partner_id, agreement_id)
     )
     SELECT DISTINCT w.partner_id, s.external_ref AS ref
       FROM wanted w JOIN marketplace.subscriptions s ON s.agreement_id = w.agreement_id`,
    [refPartners, refValues, agreementPartners, agreementIds],
  );
  for (const row of rows) addTo(closed, Number(row.partner_id), row.ref);
  return closed;
}

/** What of an archived order the subscription replay reads. */
type ReplayFields = Pick<
  ArchiveOrderRow,
  'legacy_customer_id' | 'licensee_id' | 'order_type' | 'status' | 'marketplace_status' | 'order_date_local'
>;

/** An archived order's replay fields as one text, to compare the archive's with a transform's. */
export function replayFieldsOf(order: ReplayFields): string {
  return JSON.stringify([
    order.legacy_customer_id,
    order.licensee_id,
    order.order_type,
    order.status,
    order.marketplace_status,
    order.order_date_local,
  ]);
}

/**
 * The replay's fields of these archived orders as the archive holds them (replayFieldsOf), by
 * key; an order marked deleted, or not archived, is absent. A change of anything else of an
 * order (its PO number, its total) does not change a subscription.
 */
export async function readArchivedReplayFields(
  db: Knex,
  orderIds: ReadonlyArray<number>,
): Promise<Map<number, string>> {
  const fields = new Map<number, string>();
  if (orderIds.length === 0) return fields;
  const { rows } = await db.raw<{ rows: Array<ReplayFields & { legacy_order_id: number }> }>(
    `SELECT legacy_order_id, legacy_customer_id, licensee_id, order_type, status, marketplace_status,
            to_char(order_date_local, 'YYYY-MM-DD HH24:MI:SS.MS') AS order_date_local
       FROM archive.orders WHERE legacy_order_id = ANY(?::int[]) AND deleted_at IS NULL`,
    [[...orderIds]],
  );
  for (const row of rows) fields.set(Number(row.legacy_order_id), replayFieldsOf(row));
  return fields;
}

/** An archived line's parent and amount, as the archive holds them. */
export interface ArchivedLineAmount {
  parentId: number;
  /** `line_total` of an order line, `amount` of an invoice line, as numeric text; null when unknown. */
  amount: string | null;
  /** Marked deleted in the archive. */
  deleted: boolean;
}

const LINE_AMOUNTS = {
  order_lines: { key: 'legacy_order_line_id', parent: 'legacy_order_id', amount: 'line_total' },
  invoice_lines: { key: 'legacy_invoice_line_id', parent: 'legacy_invoice_id', amount: 'amount' },
} as const;

/**
 * The parent and amount of these archived lines, by line key (deleted ones included, marked); a
 * line never archived is absent. The sync compares them with the legacy lines it applies on
 * their own: a line whose amount moved, a new one or a deleted one changes its parent's sum of
 * lines, so the parent is applied again with all its lines.
 */
export async function readArchivedLineAmounts(
  db: Knex,
  table: keyof typeof LINE_AMOUNTS,
  lineIds: ReadonlyArray<number>,
): Promise<Map<number, ArchivedLineAmount>> {
  const amounts = new Map<number, ArchivedLineAmount>();
  if (lineIds.length === 0) return amounts;
  const spec = LINE_AMOUNTS[table];
  const { rows } = await db.raw<{ rows: Array<{ k: number; p: number; a: string | null; d: boolean }> }>(
    `SELECT ${spec.key} AS k, ${spec.parent} AS p, ${spec.amount}::text AS a, deleted_at IS NOT NULL AS d
       FROM archive.${table} WHERE ${spec.key} = ANY(?::int[])`,
    [[...lineIds]],
  );
  for (const row of rows) amounts.set(Number(row.k), { parentId: Number(row.p), amount: row.a, deleted: row.d });
  return amounts;
}

/** The stored subscriptions a replay covers: whole partners', and the references of others. */
export interface ReplayedScope {
  whole: ReadonlyArray<number>;
  refs: ReadonlyMap<number, ReadonlySet<string>>;
}

/**
 * The stored subscriptions (id, agreement) a replay of `scope` covers: every subscription of a
 * whole partner's agreements, and a partner's subscriptions of its references. Read before the
 * replay is written, so an agreement a subscription leaves is still known.
 */
export async function readReplayedSubscriptions(
  db: Knex,
  scope: ReplayedScope,
): Promise<Array<{ id: string; agreementId: string }>> {
  const [refPartners, refValues] = pairsOf(scope.refs);
  if (scope.whole.length === 0 && refValues.length === 0) return [];
  const { rows } = await db.raw<{ rows: Array<{ id: string; agreement_id: string }> }>(
    `SELECT s.id, s.agreement_id FROM marketplace.subscriptions s
       JOIN marketplace.agreements g ON g.id = s.agreement_id
       JOIN marketplace.accounts a ON a.id = g.account_id
      WHERE a.legacy_partner_id = ANY(?::int[])
     UNION
     SELECT s.id, s.agreement_id FROM unnest(?::int[], ?::text[]) AS w(partner_id, ref)
       JOIN marketplace.subscriptions s ON s.external_ref = w.ref
       JOIN marketplace.agreements g ON g.id = s.agreement_id
       JOIN marketplace.accounts a ON a.id = g.account_id AND a.legacy_partner_id = w.partner_id`,
    [[...scope.whole], refPartners, refValues],
  );
  return rows.map((row) => ({ id: row.id, agreementId: row.agreement_id }));
}

/**
 * Removes what a replay no longer makes (MAPPING.md: derived objects that are not created leave
 * no row): of the subscriptions it covered (`covered`, readReplayedSubscriptions), those not
 * among `kept`, then the agreements they and the moved ones belonged to that hold no
 * subscription any more and the replay did not make. Their id map entries stay: ids are stable,
 * so a subscription made again gets the same one.
 */
export async function deleteUnmadeSubscriptions(
  db: Knex,
  covered: ReadonlyArray<{ id: string; agreementId: string }>,
  kept: { subscriptions: ReadonlySet<string>; agreements: ReadonlySet<string> },
): Promise<{ subscriptions: number; agreements: number }> {
  const stale = covered.filter((row) => !kept.subscriptions.has(row.id)).map((row) => row.id);
  const agreements = [...new Set(covered.map((row) => row.agreementId))].filter((id) => !kept.agreements.has(id));
  let subscriptions = 0;
  if (stale.length > 0)
    subscriptions = (await db.raw('DELETE FROM marketplace.subscriptions WHERE id = ANY(?::text[])', [stale]))
      .rowCount as number;
  if (agreements.length === 0) return { subscriptions, agreements: 0 };
  const removed = await db.raw(
    `DELETE FROM marketplace.agreements g WHERE g.id = ANY(?::text[])
        AND NOT EXISTS (SELECT 1 FROM marketplace.subscriptions s WHERE s.agreement_id = g.id)`,
    [agreements],
  );
  return { subscriptions, agreements: removed.rowCount as number };
}
