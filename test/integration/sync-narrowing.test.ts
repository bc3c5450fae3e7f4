import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { asLoader, cleanWave, type VerifiedWave } from './verify-fixture';

/**
 * The sync reads, replays and writes only what a change can alter; these are the changes whose
 * effects reach rows the change does not name: a customer whose duplicate-tenant outcome follows
 * another's, and a line whose order moves past the watermark while the sync reads it.
 */
let fixture: VerifiedWave;
let legacy: Connection;
const db = () => fixture.services.target;

beforeAll(async () => {
  fixture = await cleanWave('sync_narrowing', 10);
  legacy = await mysql.createConnection(fixture.env.LEGACY_DATABASE_URL);
}, 300_000);

afterAll(async () => {
  await legacy?.end();
  await fixture?.close();
});

const T1 = '11111111-2222-3333-4444-555555555555';
const T2 = '99999999-8888-7777-6666-555555555555';

async function licensedIds(): Promise<Map<number, string>> {
  const rows = await db()('marketplace.licensees').select('legacy_customer_id', 'status');
  return new Map(rows.map((row) => [Number(row.legacy_customer_id), String(row.status)]));
}

describe('a never-migrated duplicate joins the lookup because the customer it duplicated changed', () => {
  it('gets its subscriptions and its archived orders mapped, and the full verify passes', async () => {
    const licensed = await licensedIds();
    const partners = (await db()('marketplace.accounts').select('legacy_partner_id')).map((row) =>
      Number(row.legacy_partner_id),
    );
    // B: a soft-deleted customer never migrated, with completed subscription orders.
    const [candidates] = await legacy.query<RowDataPacket[]>(
      `SELECT c.CustomerId, c.PartnerId, MIN(TRIM(l.SubscriptionRef)) AS ref FROM Customers c
         JOIN Orders o ON o.CustomerId = c.CustomerId AND TRIM(o.Status) = 'Completed' AND TRIM(o.OrderType) = 'New'
         JOIN OrderLines l ON l.OrderId = o.OrderId AND NULLIF(TRIM(l.SubscriptionRef), '') IS NOT NULL
          AND TRIM(l.BillingFrequency) IN ('Monthly', 'Annual')
        WHERE c.IsDeleted = 1 AND c.PartnerId IN (?)
        GROUP BY c.CustomerId, c.PartnerId ORDER BY c.CustomerId`,
      [partners],
    );
    let pick: { a: number; b: number; ref: string } | undefined;
    for (const row of candidates) {
      const b = Number(row.CustomerId);
      if (licensed.has(b)) continue;
      const [lower] = await legacy.query<RowDataPacket[]>(
        'SELECT CustomerId FROM Customers WHERE PartnerId = ? AND CustomerId < ? AND IsDeleted = 0 ORDER BY CustomerId',
        [row.PartnerId, b],
      );
      const a = lower.map((r) => Number(r.CustomerId)).find((id) => licensed.get(id) === 'Active');
      if (a !== undefined) {
        pick = { a, b, ref: String(row.ref) };
        break;
      }
    }
    if (!pick) throw new Error('no candidate pair');
    const { a, b, ref } = pick;

    // Sync 1: B comes back, but as a duplicate tenant of A (A keeps migrating): B has no licensee.
    await legacy.query('UPDATE Customers SET TenantId = ? WHERE CustomerId = ?', [T1, a]);
    await legacy.query('UPDATE Customers SET TenantId = ?, IsDeleted = 0 WHERE CustomerId = ?', [T1, b]);
    const first = await runSync(fixture.services);
    expect(first.passed).toBe(true);
    expect((await licensedIds()).has(b)).toBe(false);
    const quarantined = await db()('migration.quarantine')
      .first('reason')
      .where({ entity: 'customer', legacy_key: String(b) })
      .whereNull('resolved_at');
    expect(quarantined?.reason).toBe('duplicate_tenant');

    // Sync 2: only A changes (another tenant): B is no longer a duplicate and migrates.
    await legacy.query('UPDATE Customers SET TenantId = ? WHERE CustomerId = ?', [T2, a]);
    const second = await runSync(fixture.services);
    expect(second.passed).toBe(true);

    const licensee = await db()('marketplace.licensees').first('id', 'status').where({ legacy_customer_id: b });
    const orders = await db()('archive.orders').select('licensee_id').where({ legacy_customer_id: b });
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((order) => order.licensee_id === licensee?.id)).toBe(true);
    const subscription = await db()('marketplace.subscriptions').first('id').where({ external_ref: ref });

    const verified = await verifyWave(fixture.services, 'w1');
    expect(licensee?.status).toBe('Active');
    expect(subscription).toBeDefined();
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe('a migrated customer that becomes a duplicate because a lower customer took its tenant', () => {
  it('gets its licensee marked Deleted', async () => {
    const licensed = await licensedIds();
    const [rows] = await legacy.query<RowDataPacket[]>(
      `SELECT CustomerId, PartnerId, TenantId FROM Customers
        WHERE IsDeleted = 0 AND TenantId REGEXP '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
        ORDER BY PartnerId, CustomerId`,
    );
    let pick: { a: number; c: number; tenant: string } | undefined;
    const byPartner = new Map<number, RowDataPacket[]>();
    for (const row of rows) {
      const some = byPartner.get(Number(row.PartnerId)) ?? [];
      some.push(row);
      byPartner.set(Number(row.PartnerId), some);
    }
    for (const some of byPartner.values()) {
      const active = some.filter((row) => licensed.get(Number(row.CustomerId)) === 'Active');
      if (active.length >= 2) {
        pick = {
          a: Number(active[0]!.CustomerId),
          c: Number(active[1]!.CustomerId),
          tenant: String(active[1]!.TenantId),
        };
        break;
      }
    }
    if (!pick) throw new Error('no candidate pair');
    await legacy.query('UPDATE Customers SET TenantId = ? WHERE CustomerId = ?', [pick.tenant, pick.a]);
    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);
    const licensee = await db()('marketplace.licensees').first('status').where({ legacy_customer_id: pick.c });
    const problem = await db()('migration.quarantine')
      .first('reason')
      .where({ entity: 'customer', legacy_key: String(pick.c) })
      .whereNull('resolved_at');
    expect(problem?.reason).toBe('duplicate_tenant');
    expect(licensee?.status).toBe('Deleted');
  }, 300_000);
});

describe('a changed line whose order moves past the watermark while the sync runs', () => {
  it('reaches the archive and its subscription with that sync, and the target verifies', async () => {
    const subs = (await db()('marketplace.subscriptions').select('external_ref', 'quantity')) as Array<{
      external_ref: string;
      quantity: number;
    }>;
    const byRef = new Map(subs.map((s) => [s.external_ref, s.quantity]));
    const [lines] = await legacy.query<RowDataPacket[]>(
      `SELECT l.OrderLineId, l.OrderId, TRIM(l.SubscriptionRef) AS ref, l.Quantity FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
      WHERE TRIM(o.OrderType) = 'New' AND TRIM(o.Status) = 'Completed' AND TRIM(l.BillingFrequency) IN ('Monthly','Annual')
        AND NULLIF(TRIM(l.SubscriptionRef), '') IS NOT NULL ORDER BY l.OrderLineId`,
    );
    const line = lines.find((row) => byRef.has(String(row.ref)))!;
    const ref = String(line.ref);
    // The order's PO number and the line's quantity change before the sync.
    await legacy.query("UPDATE Orders SET PoNumber = 'REVIEW-1' WHERE OrderId = ?", [line.OrderId]);
    await legacy.query('UPDATE OrderLines SET Quantity = Quantity + 5 WHERE OrderLineId = ?', [line.OrderLineId]);
    // While the sync runs (after its watermark and changed rows), the order's PO number changes again.
    const source = fixture.services.source as unknown as { readOrdersByKeys: (...a: unknown[]) => Promise<unknown> };
    const original = source.readOrdersByKeys.bind(source);
    let once = true;
    source.readOrdersByKeys = async (...args: unknown[]) => {
      if (once) {
        once = false;
        await legacy.query("UPDATE Orders SET PoNumber = 'REVIEW-2' WHERE OrderId = ?", [line.OrderId]);
      }
      return original(...args);
    };
    let first;
    try {
      first = await runSync(fixture.services);
    } finally {
      source.readOrdersByKeys = original;
    }
    expect(first.passed).toBe(true);
    const second = await runSync(fixture.services);
    expect(second.passed).toBe(true);
    const archived = await db()('archive.order_lines')
      .first('quantity')
      .where({ legacy_order_line_id: line.OrderLineId });
    const sub = await db()('marketplace.subscriptions').first('quantity').where({ external_ref: ref });
    expect(archived.quantity).toBe(Number(line.Quantity) + 5);
    expect(sub.quantity).toBe(byRef.get(ref)! + 5);
    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe("a line applied on its own that moves its parent's sum of lines", () => {
  const mismatches = (runId: string | null, entity: string, key: number) =>
    db()('migration.findings')
      .select('detail')
      .where({ run_id: runId, entity, legacy_key: String(key), code: 'amount_mismatch' });

  it("re-checks the order's total against all its lines (a LineTotal corrected) and the invoice's (a line deleted)", async () => {
    // Of migrated partners: an order and an invoice whose totals match their lines, with at least two lines each.
    const partners = (await db()('marketplace.accounts').select('legacy_partner_id')).map((row) =>
      Number(row.legacy_partner_id),
    );
    const [[order]] = await legacy.query<RowDataPacket[]>(
      `SELECT o.OrderId, MIN(l.OrderLineId) AS line FROM Orders o JOIN OrderLines l ON l.OrderId = o.OrderId
        WHERE o.PartnerId IN (?)
        GROUP BY o.OrderId, o.TotalAmount HAVING COUNT(*) >= 2 AND SUM(l.LineTotal) = o.TotalAmount
        ORDER BY o.OrderId LIMIT 1`,
      [partners],
    );
    const [[invoice]] = await legacy.query<RowDataPacket[]>(
      `SELECT i.InvoiceId, MIN(l.InvoiceLineId) AS line FROM Invoices i JOIN InvoiceLines l ON l.InvoiceId = i.InvoiceId
        WHERE i.PartnerId IN (?)
        GROUP BY i.InvoiceId, i.NetAmount HAVING COUNT(*) >= 2 AND SUM(l.Amount) = i.NetAmount
        ORDER BY i.InvoiceId LIMIT 1`,
      [partners],
    );
    const orderId = Number(order!.OrderId);
    const invoiceId = Number(invoice!.InvoiceId);
    expect(await db()('archive.orders').first('legacy_order_id').where({ legacy_order_id: orderId })).toBeDefined();
    expect(
      await db()('archive.invoices').first('legacy_invoice_id').where({ legacy_invoice_id: invoiceId }),
    ).toBeDefined();
    // Neither the order's nor the invoice's own row changes: only a line of each.
    await legacy.query('UPDATE OrderLines SET LineTotal = LineTotal + 1 WHERE OrderLineId = ?', [order!.line]);
    await legacy.query('DELETE FROM InvoiceLines WHERE InvoiceLineId = ?', [invoice!.line]);

    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);
    const orderFindings = await mismatches(result.runId, 'order', orderId);
    expect(orderFindings.map((finding) => finding.detail)).toEqual([
      expect.stringMatching(/^TotalAmount .* differs from the sum of its lines /),
    ]);
    const invoiceFindings = await mismatches(result.runId, 'invoice', invoiceId);
    expect(invoiceFindings.map((finding) => finding.detail)).toEqual([
      expect.stringMatching(/^NetAmount .* differs from the sum of its lines /),
    ]);
    // The unchanged lines of both parents are not written again.
    const line = await db()('archive.invoice_lines')
      .first('deleted_at')
      .where({ legacy_invoice_line_id: Number(invoice!.line) });
    expect(line.deleted_at).not.toBeNull();
    expect(result.tables.archive_order_lines?.updated).toBe(1);
    // Neither parent's own row changed: neither is written or counted.
    expect(result.tables.archive_orders).toBeUndefined();
    expect(result.tables.archive_invoices).toBeUndefined();

    const again = await runSync(fixture.services);
    expect(again.touched).toBe(0);
    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe('a hard-deleted line', () => {
  it("is verified with its invoice's other lines: a stray difference there fails the sync's verification", async () => {
    const partners = (await db()('marketplace.accounts').select('legacy_partner_id')).map((row) =>
      Number(row.legacy_partner_id),
    );
    const [[invoice]] = await legacy.query<RowDataPacket[]>(
      `SELECT l.InvoiceId, MIN(l.InvoiceLineId) AS gone, MAX(l.InvoiceLineId) AS kept FROM InvoiceLines l
         JOIN Invoices i ON i.InvoiceId = l.InvoiceId WHERE i.PartnerId IN (?)
        GROUP BY l.InvoiceId HAVING COUNT(*) >= 2 ORDER BY l.InvoiceId DESC LIMIT 1`,
      [partners],
    );
    // The archive's copy of a line the sync does not touch differs from the legacy line.
    await asLoader(
      db(),
      "UPDATE archive.invoice_lines SET description = concat(description, ' (edited)') WHERE legacy_invoice_line_id = ?",
      [invoice!.kept],
    );
    try {
      await legacy.query('DELETE FROM InvoiceLines WHERE InvoiceLineId = ?', [invoice!.gone]);
      const result = await runSync(fixture.services);
      expect(result.tables.archive_invoice_lines?.deleted).toBe(1);
      expect(result.passed).toBe(false);
    } finally {
      await asLoader(
        db(),
        'UPDATE archive.invoice_lines SET description = left(description, length(description) - 9) WHERE legacy_invoice_line_id = ?',
        [invoice!.kept],
      );
    }
    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe('a line whose amount moved, on an order whose customer joins the lookup in the same window', () => {
  it('writes the order again with its new licensee, and checks its sum of lines', async () => {
    const partners = (await db()('marketplace.accounts').select('legacy_partner_id')).map((row) =>
      Number(row.legacy_partner_id),
    );
    const licensed = await licensedIds();
    const [rows] = await legacy.query<RowDataPacket[]>(
      `SELECT c.CustomerId, o.OrderId, MIN(l.OrderLineId) AS line FROM Customers c
         JOIN Orders o ON o.CustomerId = c.CustomerId JOIN OrderLines l ON l.OrderId = o.OrderId
        WHERE c.IsDeleted = 1 AND c.PartnerId IN (?)
        GROUP BY c.CustomerId, o.OrderId, o.TotalAmount HAVING COUNT(*) >= 2 AND SUM(l.LineTotal) = o.TotalAmount
        ORDER BY c.CustomerId, o.OrderId`,
      [partners],
    );
    const pick = rows.find((row) => !licensed.has(Number(row.CustomerId)));
    if (!pick) throw new Error('no never-migrated customer with an order of two lines');
    await legacy.query(
      "UPDATE Customers SET IsDeleted = 0, TenantId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' WHERE CustomerId = ?",
      [pick.CustomerId],
    );
    await legacy.query('UPDATE OrderLines SET LineTotal = LineTotal + 1 WHERE OrderLineId = ?', [pick.line]);
    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);
    const licensee = await db()('marketplace.licensees').first('id').where({ legacy_customer_id: pick.CustomerId });
    const order = await db()('archive.orders').first('licensee_id').where({ legacy_order_id: pick.OrderId });
    expect(order.licensee_id).toBe(licensee.id);
    const findings = await db()('migration.findings')
      .select('code')
      .where({ run_id: result.runId, entity: 'order', legacy_key: String(pick.OrderId), code: 'amount_mismatch' });
    expect(findings).toHaveLength(1);
    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe('a New order of a subscription that stops being Completed, and is completed again', () => {
  it('removes the subscription and the agreement the archive no longer makes, and brings them back with their ids', async () => {
    const subs = await db()('marketplace.subscriptions').select('external_ref', 'id', 'agreement_id');
    const byRef = new Map(subs.map((row) => [String(row.external_ref), row]));
    const [lines] = await legacy.query<RowDataPacket[]>(
      `SELECT o.OrderId, TRIM(l.SubscriptionRef) AS ref FROM Orders o JOIN OrderLines l ON l.OrderId = o.OrderId
        WHERE TRIM(o.OrderType) = 'New' AND TRIM(o.Status) = 'Completed'
          AND NULLIF(TRIM(l.SubscriptionRef), '') IS NOT NULL AND TRIM(l.BillingFrequency) IN ('Monthly', 'Annual')
        ORDER BY o.OrderId DESC`,
    );
    const line = lines.find((row) => byRef.has(String(row.ref)))!;
    const before = byRef.get(String(line.ref))!;
    await legacy.query("UPDATE Orders SET Status = 'Cancelled' WHERE OrderId = ?", [line.OrderId]);
    const cancelled = await runSync(fixture.services);
    expect(cancelled.passed).toBe(true);
    expect(cancelled.tables.subscriptions?.deleted).toBeGreaterThanOrEqual(1);
    expect(await db()('marketplace.subscriptions').first('id').where({ id: before.id })).toBeUndefined();
    const siblings = await db()('marketplace.subscriptions')
      .count('* as n')
      .where({ agreement_id: before.agreement_id });
    const agreement = await db()('marketplace.agreements').first('id').where({ id: before.agreement_id });
    // The agreement goes with its last subscription.
    expect(agreement === undefined).toBe(Number(siblings[0]!.n) === 0);
    expect((await runSync(fixture.services)).touched).toBe(0);
    expect((await verifyWave(fixture.services, 'w1')).passed).toBe(true);

    await legacy.query("UPDATE Orders SET Status = 'Completed' WHERE OrderId = ?", [line.OrderId]);
    const completed = await runSync(fixture.services);
    expect(completed.passed).toBe(true);
    const back = await db()('marketplace.subscriptions')
      .first('id', 'agreement_id')
      .where({ external_ref: before.external_ref });
    expect(back).toEqual({ id: before.id, agreement_id: before.agreement_id });
    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  }, 300_000);
});

describe("a partner's account side", () => {
  it('is read from the legacy database once per sync: to apply it, and verified from those rows', async () => {
    const [[customer]] = await legacy.query<RowDataPacket[]>(
      `SELECT c.CustomerId, c.PartnerId FROM Customers c
        WHERE c.PartnerId IN (?) AND c.IsDeleted = 0 ORDER BY c.CustomerId LIMIT 1`,
      [(await db()('marketplace.accounts').select('legacy_partner_id')).map((row) => Number(row.legacy_partner_id))],
    );
    const partnerId = Number(customer!.PartnerId);
    await legacy.query("UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (read once)') WHERE CustomerId = ?", [
      customer!.CustomerId,
    ]);
    const source = fixture.services.source;
    const readAccountRows = source.readAccountRows.bind(source);
    const asked: number[][] = [];
    source.readAccountRows = (partnerIds, watermark, batchSize) => {
      asked.push([...partnerIds]);
      return readAccountRows(partnerIds, watermark, batchSize);
    };
    let result: Awaited<ReturnType<typeof runSync>>;
    try {
      result = await runSync(fixture.services);
    } finally {
      source.readAccountRows = readAccountRows;
    }
    expect(result.passed).toBe(true);
    expect(result.tables.licensees?.updated).toBe(1);
    // The apply's read; the verification of the same partner asks for none of it again.
    expect(asked.filter((ids) => ids.includes(partnerId))).toHaveLength(1);
    const city = await db()('marketplace.licensees')
      .first('city')
      .where({ legacy_customer_id: Number(customer!.CustomerId) });
    expect(city.city).toMatch(/ \(read once\)$/);
    expect((await verifyWave(fixture.services, 'w1')).passed).toBe(true);
  }, 300_000);
});

describe('the subscription history a sync replays', () => {
  it('is read from the archive once per sync: to replay it, and verified from what was replayed', async () => {
    const subscribed = new Set(
      ((await db()('marketplace.subscriptions').select('external_ref')) as Array<{ external_ref: string }>).map(
        (row) => row.external_ref,
      ),
    );
    const [lines] = await legacy.query<RowDataPacket[]>(
      `SELECT l.OrderLineId, TRIM(l.SubscriptionRef) AS ref FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
        WHERE TRIM(o.OrderType) = 'New' AND TRIM(o.Status) = 'Completed' AND TRIM(l.BillingFrequency) IN ('Monthly','Annual')
          AND NULLIF(TRIM(l.SubscriptionRef), '') IS NOT NULL ORDER BY l.OrderLineId DESC`,
    );
    const line = lines.find((row) => subscribed.has(String(row.ref)))!;
    const ref = String(line.ref);
    await legacy.query('UPDATE OrderLines SET Quantity = Quantity + 2 WHERE OrderLineId = ?', [line.OrderLineId]);
    // The replay's reads of lines by reference, in the sync's transaction; the verification's, outside any.
    const reads: Array<{ inTransaction: boolean }> = [];
    const listen = (query: { sql: string; bindings?: unknown[]; __knexTxId?: string }) => {
      const refs = query.bindings?.[0];
      if (/FROM archive\.order_lines\s+WHERE btrim\(subscription_ref\) = ANY/.test(query.sql) && Array.isArray(refs))
        if (refs.includes(ref)) reads.push({ inTransaction: query.__knexTxId !== undefined });
    };
    db().on('query', listen);
    let result: Awaited<ReturnType<typeof runSync>>;
    try {
      result = await runSync(fixture.services);
    } finally {
      db().off('query', listen);
    }
    expect(result.passed).toBe(true);
    expect(result.tables.subscriptions?.updated).toBeGreaterThanOrEqual(1);
    expect(reads.filter((read) => read.inTransaction).length).toBeGreaterThan(0);
    expect(reads.filter((read) => !read.inTransaction)).toEqual([]);
    expect((await verifyWave(fixture.services, 'w1')).passed).toBe(true);
  }, 300_000);
});
