import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { cleanWave, type VerifiedWave } from './verify-fixture';

/**
 * The sync replays only the subscriptions a change touches; an agreement's status and name
 * follow from all its subscriptions, so those of the same agreement must be replayed with them.
 */
let fixture: VerifiedWave;
let legacy: Connection;

const db = () => fixture.services.target;

interface Sibling {
  agreementId: string;
  agreementName: string;
  refs: string[];
  partnerId: number;
  customerId: number;
  currency: string;
  sku: string;
}

/** An agreement with at least two active subscriptions, and where they came from. */
async function agreementWithTwoActive(skip: ReadonlyArray<string>): Promise<Sibling> {
  const rows = (await db()('marketplace.subscriptions as s')
    .join('marketplace.agreements as a', 'a.id', 's.agreement_id')
    .where('s.status', 'Active')
    .whereNotIn('a.id', skip as string[])
    .select('a.id', 'a.name', 's.external_ref')
    .orderBy(['a.id', 's.external_ref'])) as Array<{ id: string; name: string; external_ref: string }>;
  const byAgreement = new Map<string, { name: string; refs: string[] }>();
  for (const row of rows) {
    const entry = byAgreement.get(row.id) ?? { name: row.name, refs: [] };
    entry.refs.push(row.external_ref);
    byAgreement.set(row.id, entry);
  }
  const [agreementId, entry] = [...byAgreement].find(([, value]) => value.refs.length >= 2) ?? [];
  if (!agreementId || !entry) throw new Error('the fixture has no agreement with two active subscriptions');
  const [rowsOfRef] = await legacy.query<RowDataPacket[]>(
    `SELECT o.PartnerId, o.CustomerId, o.CurrencyCode, TRIM(l.Sku) AS Sku FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
      WHERE TRIM(l.SubscriptionRef) = ? AND TRIM(o.OrderType) = 'New' ORDER BY o.OrderId LIMIT 1`,
    [entry.refs[0]],
  );
  const origin = rowsOfRef[0]!;
  return {
    agreementId,
    agreementName: entry.name,
    refs: entry.refs,
    partnerId: Number(origin.PartnerId),
    customerId: Number(origin.CustomerId),
    currency: String(origin.CurrencyCode),
    sku: String(origin.Sku),
  };
}

let orderCount = 0;

async function addOrder(
  sibling: Sibling,
  type: string,
  date: string,
  line: { ref: string; product: string; quantity: number },
): Promise<void> {
  await legacy.query(
    `INSERT INTO Orders (OrderNumber, PartnerId, CustomerId, OrderType, Status, OrderDate, CurrencyCode, TotalAmount)
     VALUES (?, ?, ?, ?, 'Completed', ?, ?, 10.0000)`,
    [`SYNC-${type}-${(orderCount += 1)}`, sibling.partnerId, sibling.customerId, type, date, sibling.currency],
  );
  const [[created]] = await legacy.query<RowDataPacket[]>('SELECT MAX(OrderId) AS id FROM Orders');
  await legacy.query(
    `INSERT INTO OrderLines (OrderId, \`LineNo\`, Sku, ProductName, Quantity, UnitPrice, LineTotal, BillingFrequency, TermMonths, SubscriptionRef)
     VALUES (?, 1, ?, ?, ?, 10.0000, 10.0000, 'Monthly', 12, ?)`,
    [created!.id, sibling.sku, line.product, line.quantity, line.ref],
  );
}

beforeAll(async () => {
  fixture = await cleanWave('sync_agreements', 10);
  legacy = await mysql.createConnection(fixture.env.LEGACY_DATABASE_URL);
}, 240_000);

afterAll(async () => {
  await legacy?.end();
  await fixture?.close();
});

const NEW_REF = 'SYNC-LATER-1';

describe('a sync that changes one subscription of an agreement', () => {
  let cancelled: Sibling;
  let grown: Sibling;

  beforeAll(async () => {
    // One of two active subscriptions cancelled: the agreement stays Active (its other one is).
    cancelled = await agreementWithTwoActive([]);
    await addOrder(cancelled, 'Cancel', '2031-05-01 09:00:00', {
      ref: cancelled.refs[0]!,
      product: 'cancel',
      quantity: 0,
    });
    // A later purchase of the same SKU for the same customer: the agreement keeps its first name.
    grown = await agreementWithTwoActive([cancelled.agreementId]);
    await addOrder(grown, 'New', '2031-05-02 09:00:00', {
      ref: NEW_REF,
      product: 'A later purchase under another name',
      quantity: 2,
    });
  }, 60_000);

  it('keeps the agreement as all its subscriptions make it, and the target verifies', async () => {
    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);
    // What the sync changed is what it verified again: the orders it applied, the subscriptions it replayed.
    const checks = result.waves.flatMap((wave) => wave.report.checks);
    expect(checks.filter((check) => check.expected.includes('(scope: ')).length).toBeGreaterThan(0);
    expect(checks.some((check) => check.expected.includes('subscription ref'))).toBe(true);

    const subscription = await db()('marketplace.subscriptions')
      .first('status')
      .where({ external_ref: cancelled.refs[0] });
    expect(subscription.status).toBe('Terminated');
    const kept = await db()('marketplace.agreements').first('status').where({ id: cancelled.agreementId });
    expect(kept.status).toBe('Active');

    const added = await db()('marketplace.subscriptions')
      .first('agreement_id', 'quantity')
      .where({ external_ref: NEW_REF });
    expect(added).toEqual({ agreement_id: grown.agreementId, quantity: 2 });
    const named = await db()('marketplace.agreements').first('name').where({ id: grown.agreementId });
    expect(named.name).toBe(grown.agreementName);

    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  });

  it('--full-verify verifies the touched partners whole', async () => {
    await addOrder(cancelled, 'AddSeats', '2031-06-01 09:00:00', {
      ref: cancelled.refs[1]!,
      product: 'more',
      quantity: 1,
    });
    const result = await runSync(fixture.services, { fullVerify: true });
    expect(result.passed).toBe(true);
    expect(result.touched).toBe(1);
    const checks = result.waves.flatMap((wave) => wave.report.checks);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((check) => check.expected.includes('(scope: '))).toEqual([]);
  });
});

describe('a customer kept out by the wave that migrates with a sync', () => {
  it("brings its archived orders' subscriptions with it, and the target verifies", async () => {
    const licensed = (await db()('marketplace.licensees').select('legacy_customer_id')).map((row) =>
      Number(row.legacy_customer_id),
    );
    // A soft-deleted customer of a migrated partner, never migrated, with completed subscription orders.
    const [candidates] = await legacy.query<RowDataPacket[]>(
      `SELECT c.CustomerId, MIN(TRIM(l.SubscriptionRef)) AS ref FROM Customers c
         JOIN Orders o ON o.CustomerId = c.CustomerId AND TRIM(o.Status) = 'Completed' AND TRIM(o.OrderType) = 'New'
         JOIN OrderLines l ON l.OrderId = o.OrderId AND NULLIF(TRIM(l.SubscriptionRef), '') IS NOT NULL
          AND TRIM(l.BillingFrequency) IN ('Monthly', 'Annual')
        WHERE c.IsDeleted = 1 AND c.PartnerId IN (?)
        GROUP BY c.CustomerId ORDER BY c.CustomerId`,
      [(await db()('marketplace.accounts').select('legacy_partner_id')).map((row) => Number(row.legacy_partner_id))],
    );
    const customer = candidates.find((row) => !licensed.includes(Number(row.CustomerId)));
    if (!customer) throw new Error('the fixture has no soft-deleted customer with subscription orders');
    const ref = String(customer.ref);
    expect(await db()('marketplace.subscriptions').first('id').where({ external_ref: ref })).toBeUndefined();

    await legacy.query('UPDATE Customers SET IsDeleted = 0 WHERE CustomerId = ?', [customer.CustomerId]);
    const result = await runSync(fixture.services);
    expect(result.passed).toBe(true);

    const licensee = await db()('marketplace.licensees')
      .first('id', 'status')
      .where({ legacy_customer_id: customer.CustomerId });
    expect(licensee?.status).toBe('Active');
    const subscription = await db()('marketplace.subscriptions as s')
      .join('marketplace.agreements as a', 'a.id', 's.agreement_id')
      .first('a.licensee_id')
      .where('s.external_ref', ref);
    expect(subscription?.licensee_id).toBe(licensee.id);

    const verified = await verifyWave(fixture.services, 'w1');
    expect(verified.report.discrepancies).toEqual([]);
    expect(verified.passed).toBe(true);
  });
});
