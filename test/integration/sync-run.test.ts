import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { renderWaveReport } from '../../pipelines/commands/report';
import { targetFingerprint } from '../helpers/fingerprint';
import { cleanWave, type VerifiedWave } from './verify-fixture';

let fixture: VerifiedWave;
let legacy: Connection;

const db = () => fixture.services.target;

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const [rows] = await legacy.query<RowDataPacket[]>(sql, params);
  if (rows.length === 0) throw new Error(`no legacy row for: ${sql}`);
  return rows[0] as T;
}

/** What the legacy edits of the test changed, by key, to find them in the target afterwards. */
interface Edits {
  paidInvoice: number;
  newInvoice: number;
  changedLine: { lineId: number; subscriptionRef: string; quantity: number };
  renamedCustomer: number;
  deletedCustomer: number;
  deletedDraft: { orderId: number; lineIds: number[] };
  addSeats: { orderId: number; subscriptionRef: string; quantity: number };
  deactivatedUser: number;
}

async function subscriptionQuantity(ref: string): Promise<number> {
  const row = await db()('marketplace.subscriptions').first('quantity').where({ external_ref: ref });
  return Number(row.quantity);
}

beforeAll(async () => {
  fixture = await cleanWave('sync_run', 12);
  legacy = await mysql.createConnection(fixture.env.LEGACY_DATABASE_URL);
}, 240_000);

afterAll(async () => {
  await legacy?.end();
  await fixture?.close();
});

describe('ppm sync run after a wave', () => {
  let edits: Edits;
  let subscriptionsBefore: Map<string, number>;

  beforeAll(async () => {
    // Subscriptions whose partner, customer and lines the other edits leave alone.
    const activeRefs = (await db()('marketplace.subscriptions')
      .join('marketplace.agreements as a', 'a.id', 'marketplace.subscriptions.agreement_id')
      .join('marketplace.licensees as l', 'l.id', 'a.licensee_id')
      .where('marketplace.subscriptions.status', 'Active')
      .select('external_ref', 'quantity', 'l.legacy_customer_id')
      .orderBy('external_ref')) as Array<{ external_ref: string; quantity: number; legacy_customer_id: number }>;
    subscriptionsBefore = new Map(activeRefs.map((row) => [row.external_ref, Number(row.quantity)]));
    expect(activeRefs.length).toBeGreaterThan(4);
    const [first, second] = [activeRefs[0]!, activeRefs[activeRefs.length - 1]!];

    const paid = await one<{ InvoiceId: number }>(
      "SELECT InvoiceId FROM Invoices WHERE Status = 'Open' ORDER BY InvoiceId LIMIT 1",
    );
    await legacy.query("UPDATE Invoices SET Status = 'Paid' WHERE InvoiceId = ?", [paid.InvoiceId]);

    const model = await one<{ InvoiceId: number }>(
      'SELECT i.InvoiceId FROM Invoices i WHERE EXISTS (SELECT 1 FROM InvoiceLines l WHERE l.InvoiceId = i.InvoiceId) ORDER BY i.InvoiceId DESC LIMIT 1',
    );
    await legacy.query(
      `INSERT INTO Invoices (InvoiceNumber, PartnerId, DocumentType, InvoiceDate, DueDate, CurrencyCode, NetAmount, TaxAmount, GrossAmount, Status)
       SELECT CONCAT('SYNC-', InvoiceNumber), PartnerId, DocumentType, InvoiceDate, DueDate, CurrencyCode, NetAmount, TaxAmount, GrossAmount, 'Open'
         FROM Invoices WHERE InvoiceId = ?`,
      [model.InvoiceId],
    );
    const created = await one<{ id: number }>('SELECT MAX(InvoiceId) AS id FROM Invoices');
    await legacy.query(
      `INSERT INTO InvoiceLines (InvoiceId, OrderId, CustomerId, Description, Quantity, UnitPrice, Amount, TaxRate)
       SELECT ?, OrderId, CustomerId, CONCAT('sync ', Description), Quantity, UnitPrice, Amount, TaxRate
         FROM InvoiceLines WHERE InvoiceId = ?`,
      [created.id, model.InvoiceId],
    );

    // The line that created the first subscription: its quantity changes the subscription's.
    const line = await one<{ OrderLineId: number; Quantity: number }>(
      `SELECT l.OrderLineId, l.Quantity FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
        WHERE TRIM(l.SubscriptionRef) = ? AND TRIM(o.OrderType) = 'New' AND TRIM(o.Status) = 'Completed'
        ORDER BY o.OrderDate, o.OrderId LIMIT 1`,
      [first.external_ref],
    );
    await legacy.query('UPDATE OrderLines SET Quantity = Quantity + 5 WHERE OrderLineId = ?', [line.OrderLineId]);

    const renamed = await one<{ CustomerId: number }>(
      `SELECT CustomerId FROM Customers WHERE IsDeleted = 0 AND CustomerId NOT IN (?, ?) ORDER BY CustomerId LIMIT 1`,
      [first.legacy_customer_id, second.legacy_customer_id],
    );
    await legacy.query("UPDATE Customers SET CustomerName = CONCAT(CustomerName, ' (renamed)') WHERE CustomerId = ?", [
      renamed.CustomerId,
    ]);
    const licensed = (await db()('marketplace.licensees').select('legacy_customer_id')).map((row) =>
      Number(row.legacy_customer_id),
    );
    const deleted = await one<{ CustomerId: number }>(
      `SELECT CustomerId FROM Customers WHERE IsDeleted = 0 AND CustomerId IN (?) AND CustomerId NOT IN (?, ?, ?)
        ORDER BY CustomerId DESC LIMIT 1`,
      [licensed, first.legacy_customer_id, second.legacy_customer_id, renamed.CustomerId],
    );
    await legacy.query('UPDATE Customers SET IsDeleted = 1 WHERE CustomerId = ?', [deleted.CustomerId]);

    const draft = await one<{ OrderId: number }>(
      "SELECT OrderId FROM Orders WHERE TRIM(Status) = 'Draft' ORDER BY OrderId LIMIT 1",
    );
    const [draftLines] = await legacy.query<RowDataPacket[]>('SELECT OrderLineId FROM OrderLines WHERE OrderId = ?', [
      draft.OrderId,
    ]);
    await legacy.query('DELETE FROM OrderLines WHERE OrderId = ?', [draft.OrderId]);
    await legacy.query('DELETE FROM Orders WHERE OrderId = ?', [draft.OrderId]);

    // A completed AddSeats order on the last subscription, after every order of the portal.
    const source = await one<{ PartnerId: number; CustomerId: number; CurrencyCode: string; Sku: string }>(
      `SELECT o.PartnerId, o.CustomerId, o.CurrencyCode, l.Sku FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
        WHERE TRIM(l.SubscriptionRef) = ? ORDER BY o.OrderId LIMIT 1`,
      [second.external_ref],
    );
    await legacy.query(
      `INSERT INTO Orders (OrderNumber, PartnerId, CustomerId, OrderType, Status, OrderDate, CurrencyCode, TotalAmount)
       VALUES ('SYNC-ADD-1', ?, ?, 'AddSeats', 'Completed', '2031-03-01 10:00:00', ?, 30.0000)`,
      [source.PartnerId, source.CustomerId, source.CurrencyCode],
    );
    const addSeats = await one<{ id: number }>('SELECT MAX(OrderId) AS id FROM Orders');
    await legacy.query(
      `INSERT INTO OrderLines (OrderId, \`LineNo\`, Sku, ProductName, Quantity, UnitPrice, LineTotal, BillingFrequency, TermMonths, SubscriptionRef)
       VALUES (?, 1, ?, 'Added seats', 3, 10.0000, 30.0000, 'Monthly', NULL, ?)`,
      [addSeats.id, source.Sku, second.external_ref],
    );

    const user = await db()('marketplace.account_users').first('legacy_user_id').orderBy('legacy_user_id', 'desc');
    await legacy.query('UPDATE PartnerUsers SET IsActive = 0 WHERE UserId = ?', [user.legacy_user_id]);

    edits = {
      paidInvoice: paid.InvoiceId,
      newInvoice: created.id,
      changedLine: { lineId: line.OrderLineId, subscriptionRef: first.external_ref, quantity: line.Quantity + 5 },
      renamedCustomer: renamed.CustomerId,
      deletedCustomer: deleted.CustomerId,
      deletedDraft: { orderId: draft.OrderId, lineIds: draftLines.map((row) => Number(row.OrderLineId)) },
      addSeats: { orderId: addSeats.id, subscriptionRef: second.external_ref, quantity: 3 },
      deactivatedUser: Number(user.legacy_user_id),
    };
  }, 60_000);

  it('--dry-run reports what would change and writes nothing', async () => {
    const before = await targetFingerprint(fixture.env.MARKETPLACE_DATABASE_URL);
    const result = await runSync(fixture.services, { dryRun: true });
    expect(result.runId).toBeNull();
    expect(result.touched).toBeGreaterThan(0);
    expect(result.tables.archive_invoices?.inserted).toBe(1);
    expect(result.tables.archive_orders?.deleted).toBe(1);
    expect(await targetFingerprint(fixture.env.MARKETPLACE_DATABASE_URL)).toEqual(before);
    const [{ count }] = await db()('migration.runs').where({ kind: 'sync' }).count<{ count: string }[]>('* as count');
    expect(Number(count)).toBe(0);
  });

  it('applies every change, and the target verifies', async () => {
    const result = await runSync(fixture.services);
    expect(result.runId).not.toBeNull();
    expect(result.waves.flatMap((wave) => wave.report.discrepancies)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.waves.map((wave) => wave.wave)).toEqual(['w1']);
    expect(result.tables.archive_invoices).toMatchObject({ inserted: 1, updated: 1 });
    expect(result.tables.archive_invoice_lines?.inserted).toBeGreaterThan(0);
    expect(result.tables.archive_orders).toMatchObject({ inserted: 1, deleted: 1 });
    expect(result.tables.archive_order_lines?.deleted).toBe(edits.deletedDraft.lineIds.length);
    expect(result.tables.account_users?.deleted).toBe(1);

    const paid = await db()('archive.invoices').first('status', 'marketplace_status').where({
      legacy_invoice_id: edits.paidInvoice,
    });
    expect(paid).toEqual({ status: 'Paid', marketplace_status: 'Paid' });
    const newLines = await db()('archive.invoice_lines').where({ legacy_invoice_id: edits.newInvoice }).count('* as n');
    expect(Number(newLines[0]!.n)).toBeGreaterThan(0);

    const line = await db()('archive.order_lines').first('quantity').where({
      legacy_order_line_id: edits.changedLine.lineId,
    });
    expect(line.quantity).toBe(edits.changedLine.quantity);
    expect(await subscriptionQuantity(edits.changedLine.subscriptionRef)).toBe(
      subscriptionsBefore.get(edits.changedLine.subscriptionRef)! + 5,
    );
    expect(await subscriptionQuantity(edits.addSeats.subscriptionRef)).toBe(
      subscriptionsBefore.get(edits.addSeats.subscriptionRef)! + edits.addSeats.quantity,
    );
    expect(
      await db()('archive.orders').first('marketplace_type').where({ legacy_order_id: edits.addSeats.orderId }),
    ).toEqual({
      marketplace_type: expect.any(String),
    });

    const renamed = await db()('marketplace.licensees').first('name', 'status').where({
      legacy_customer_id: edits.renamedCustomer,
    });
    expect(renamed.name).toMatch(/\(renamed\)$/);
    expect(renamed.status).toBe('Active');
    const deleted = await db()('marketplace.licensees').first('status').where({
      legacy_customer_id: edits.deletedCustomer,
    });
    expect(deleted.status).toBe('Deleted');
    const skipped = await db()('migration.skipped')
      .first('reason')
      .where({ entity: 'customer', legacy_key: String(edits.deletedCustomer) })
      .whereNull('resolved_at');
    expect(skipped.reason).toBe('soft_deleted');

    const draft = await db()('archive.orders')
      .first('deleted_at')
      .where({ legacy_order_id: edits.deletedDraft.orderId });
    expect(draft.deleted_at).not.toBeNull();
    const membership = await db()('marketplace.account_users').first('status').where({
      legacy_user_id: edits.deactivatedUser,
    });
    expect(membership.status).toBe('Deleted');

    const watermarks = await db()('migration.watermarks').select('source_table', 'row_version');
    expect(watermarks).toHaveLength(7);
    for (const row of watermarks) expect(String(row.row_version)).toBe(result.watermark);

    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  });

  it('a second sync changes nothing', async () => {
    const before = await targetFingerprint(fixture.env.MARKETPLACE_DATABASE_URL);
    const again = await runSync(fixture.services);
    expect(again.touched).toBe(0);
    expect(again.tables).toEqual({});
    expect(again.waves).toEqual([]);
    expect(await targetFingerprint(fixture.env.MARKETPLACE_DATABASE_URL)).toEqual(before);
  });

  it('a customer that becomes valid again is live again, its skipped row resolved', async () => {
    await legacy.query('UPDATE Customers SET IsDeleted = 0 WHERE CustomerId = ?', [edits.deletedCustomer]);
    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);
    const licensee = await db()('marketplace.licensees').first('status').where({
      legacy_customer_id: edits.deletedCustomer,
    });
    expect(licensee.status).toBe('Active');
    const open = await db()('migration.skipped')
      .where({ entity: 'customer', legacy_key: String(edits.deletedCustomer) })
      .whereNull('resolved_at');
    expect(open).toEqual([]);
  });

  it('verify reports legacy rows changed after the watermark it checked as pending, and the next sync takes them', async () => {
    const customer = await one<{ CustomerId: number }>(
      'SELECT CustomerId FROM Customers WHERE IsDeleted = 0 AND CustomerId <> ? ORDER BY CustomerId DESC LIMIT 1',
      [edits.renamedCustomer],
    );
    const invoice = await one<{ InvoiceId: number }>('SELECT InvoiceId FROM Invoices ORDER BY InvoiceId LIMIT 1');
    await legacy.query("UPDATE Customers SET CustomerName = 'Changed after the sync' WHERE CustomerId = ?", [
      customer.CustomerId,
    ]);
    await legacy.query("UPDATE Invoices SET Status = 'Void' WHERE InvoiceId = ?", [invoice.InvoiceId]);

    const checked = await verifyWave(fixture.services, 'w1');
    expect(checked.report.discrepancies).toEqual([]);
    expect(checked.passed).toBe(true);
    expect(checked.report.pending).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'customer', legacyKey: String(customer.CustomerId) }),
        expect.objectContaining({ entity: 'invoice', legacyKey: String(invoice.InvoiceId) }),
      ]),
    );

    const markdown = await renderWaveReport(fixture.services, 'w1', 'md');
    expect(markdown).toContain('## Pending');
    const pendingCustomer = checked.report.pending.find((row) => row.entity === 'customer')!;
    expect(markdown).toContain(`| ${pendingCustomer.partnerId} | customer | ${customer.CustomerId} |`);
    const html = await renderWaveReport(fixture.services, 'w1', 'html');
    expect(html).toContain('<section id="pending">');

    const synced = await runSync(fixture.services);
    expect(synced.passed).toBe(true);
    const after = await verifyWave(fixture.services, 'w1');
    expect(after.passed).toBe(true);
    expect(after.report.pending).toEqual([]);
    const licensee = await db()('marketplace.licensees')
      .first('name')
      .where({ legacy_customer_id: customer.CustomerId });
    expect(licensee.name).toBe('Changed after the sync');
  });
});
