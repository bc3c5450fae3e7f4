import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyPartners } from '../../pipelines/commands/verify-partners';
import { sealRunReport } from '../../pipelines/commands/verify-wave';
import { connectTarget, createRun, finishRun, insertReconciliations } from '../../src/load';
import type { CheckResult, Discrepancy, PartnerScope } from '../../src/verify';
import { runPpm } from '../helpers/cli';
import { asLoader, cleanWave, restoreRow, snapshotRow, type VerifiedWave } from './verify-fixture';

let fixture: VerifiedWave;
/** The database's owner: archive writes need the load's declaration, marketplace tampering more than ppm_loader. */
let owner: ReturnType<typeof connectTarget>;
let watermark: string;

/** The partner verified over a scope, the one verified whole beside it, and what the scope holds and leaves out. */
interface Setup {
  partnerId: number;
  otherPartnerId: number;
  scope: PartnerScope;
  /** Order lines of the scoped orders, in the archive. */
  scopedLines: number;
  /** Orders, invoices and subscription refs of the same partner the scope leaves out. */
  outside: { orderId: number; invoiceId: number; ref: string };
}
let setup: Setup;

const db = () => owner;

beforeAll(async () => {
  fixture = await cleanWave('verify_scope', 8);
  owner = connectTarget(fixture.env.MARKETPLACE_DATABASE_URL);
  watermark = (await db()('migration.runs').first('watermark').where({ id: fixture.wave.runId })).watermark;

  // The migrated partner with the most agreements: one agreement (all its subscriptions) is the scope's.
  const {
    rows: [chosen],
  } = await db().raw(`SELECT a.legacy_partner_id AS partner, count(DISTINCT g.id)::int AS agreements
      FROM marketplace.agreements g JOIN marketplace.accounts a ON a.id = g.account_id
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`);
  expect(chosen.agreements).toBeGreaterThan(1);
  const partnerId = Number(chosen.partner);
  const agreements = (
    await db().raw(
      `SELECT g.id, array_agg(s.external_ref ORDER BY s.external_ref) AS refs
         FROM marketplace.agreements g JOIN marketplace.accounts a ON a.id = g.account_id
         JOIN marketplace.subscriptions s ON s.agreement_id = g.id
        WHERE a.legacy_partner_id = ? GROUP BY g.id ORDER BY g.id`,
      [partnerId],
    )
  ).rows as Array<{ id: string; refs: string[] }>;
  const refs = agreements[0]!.refs;
  // The scope's orders: those whose lines carry its refs (what a sync applying them would list), and
  // one more that feeds no subscription (not Completed), so deleting it changes no replay, and
  // lies inside the partner's key span, where a whole verify counts a missing order's lines as its own.
  const withRefs = (
    await db().raw(
      `SELECT DISTINCT l.legacy_order_id AS id FROM archive.order_lines l
         JOIN archive.orders o ON o.legacy_order_id = l.legacy_order_id
        WHERE o.legacy_partner_id = ? AND btrim(l.subscription_ref) = ANY(?::text[]) ORDER BY 1`,
      [partnerId, refs],
    )
  ).rows.map((row: { id: number }) => Number(row.id));
  const others = (
    await db().raw(
      `SELECT o.legacy_order_id AS id FROM archive.orders o
        WHERE o.legacy_partner_id = ? AND NOT (o.legacy_order_id = ANY(?::int[]))
          AND o.legacy_order_id > (SELECT min(legacy_order_id) FROM archive.orders x WHERE x.legacy_partner_id = o.legacy_partner_id)
          AND o.legacy_order_id < (SELECT max(legacy_order_id) FROM archive.orders x WHERE x.legacy_partner_id = o.legacy_partner_id)
          AND EXISTS (SELECT 1 FROM archive.order_lines l WHERE l.legacy_order_id = o.legacy_order_id)
          AND NOT EXISTS (SELECT 1 FROM archive.order_lines l WHERE l.legacy_order_id = o.legacy_order_id
                           AND btrim(l.subscription_ref) = ANY(?::text[]))
        ORDER BY o.marketplace_status IS NOT DISTINCT FROM 'Completed', 1`,
      [partnerId, withRefs, refs],
    )
  ).rows.map((row: { id: number }) => Number(row.id));
  expect(withRefs.length).toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(1);
  const invoices = (
    await db().raw(
      `SELECT i.legacy_invoice_id AS id FROM archive.invoices i
        WHERE i.legacy_partner_id = ?
          AND EXISTS (SELECT 1 FROM archive.invoice_lines l WHERE l.legacy_invoice_id = i.legacy_invoice_id)
        ORDER BY 1`,
      [partnerId],
    )
  ).rows.map((row: { id: number }) => Number(row.id));
  expect(invoices.length).toBeGreaterThan(3);
  const scope: PartnerScope = {
    orders: [...withRefs, others[0]!],
    invoices: invoices.slice(0, 2),
    subscriptionRefs: refs,
  };
  const {
    rows: [{ n: scopedLines }],
  } = await db().raw('SELECT count(*)::int AS n FROM archive.order_lines WHERE legacy_order_id = ANY(?::int[])', [
    [...scope.orders],
  ]);
  const otherPartner = await db()('marketplace.accounts')
    .first('legacy_partner_id')
    .whereNot({ legacy_partner_id: partnerId })
    .orderBy('legacy_partner_id');
  setup = {
    partnerId,
    otherPartnerId: Number(otherPartner.legacy_partner_id),
    scope,
    scopedLines,
    outside: { orderId: others.at(-1)!, invoiceId: invoices.at(-1)!, ref: agreements.at(-1)!.refs[0]! },
  };
}, 240_000);

afterAll(async () => {
  await owner?.destroy();
  await fixture?.close();
});

/** The scoped partner (over `scope`) and the other one (whole), verified together: one statement per question for both. */
async function verifyScoped(scope: PartnerScope = setup.scope): Promise<Map<number, CheckResult[]>> {
  return verifyPartners(
    fixture.services,
    [setup.partnerId, setup.otherPartnerId],
    watermark,
    undefined,
    new Map([[setup.partnerId, scope]]),
  );
}

async function verifyWhole(): Promise<CheckResult[]> {
  return (await verifyPartners(fixture.services, [setup.partnerId], watermark)).get(setup.partnerId)!;
}

const failures = (results: CheckResult[]) => results.filter((result) => !result.passed);
const discrepancies = (results: CheckResult[]): Discrepancy[] => results.flatMap((result) => result.discrepancies);
/** The (entity, legacy key) pairs the discrepancies name. */
const keysNamed = (results: CheckResult[]) =>
  [
    ...new Set(
      discrepancies(results)
        .filter((d) => d.legacyKey !== null)
        .map((d) => `${d.entity}:${d.legacyKey}`),
    ),
  ].sort();
const find = (results: CheckResult[], check: string, entity: string) =>
  results.find((result) => result.check === check && result.entity === entity)!;

describe('a scoped verify after a wave', () => {
  it("passes, each scoped check saying what it covered, the other partner's checks whole", async () => {
    const results = await verifyScoped();
    const scoped = results.get(setup.partnerId)!;
    const whole = results.get(setup.otherPartnerId)!;
    expect(discrepancies([...scoped, ...whole])).toEqual([]);
    expect(failures([...scoped, ...whole])).toEqual([]);

    const orders = setup.scope.orders.length;
    expect(find(scoped, 'archive_fidelity', 'order')).toMatchObject({
      expected: expect.stringMatching(new RegExp(`^${orders} rows, checksum \\d+ \\(scope: ${orders} orders\\)$`)),
      facts: { legacyRows: orders, targetRows: orders },
    });
    expect(find(scoped, 'archive_fidelity', 'order_line')).toMatchObject({
      expected: expect.stringContaining(`(scope: ${orders} orders)`),
      facts: { legacyRows: setup.scopedLines, targetRows: setup.scopedLines },
    });
    expect(find(scoped, 'completeness', 'invoice')).toMatchObject({
      expected: '2 legacy rows (scope: 2 invoices)',
      facts: { legacyRows: 2 },
    });
    expect(find(scoped, 'archive_fidelity', 'invoice_money').expected).toMatch(/\(scope: 2 invoices\)$/);
    const refs = setup.scope.subscriptionRefs.length;
    expect(find(scoped, 'integrity', 'subscription')).toMatchObject({
      expected: `${refs} subscriptions (scope: ${refs} subscription ref${refs === 1 ? '' : 's'})`,
      actual: `${refs} subscriptions`,
    });
    expect(find(scoped, 'integrity', 'agreement').expected).toBe(
      `1 agreements (scope: ${refs} subscription ref${refs === 1 ? '' : 's'})`,
    );
    // The account side stays whole, and says nothing of a scope.
    for (const entity of ['partner', 'user', 'customer'])
      expect(find(scoped, 'completeness', entity).expected).not.toContain('scope');
    expect(find(scoped, 'mapping_fidelity', 'customer').expected).not.toContain('scope');
    expect(whole.filter((result) => result.expected.includes('scope'))).toEqual([]);

    // The whole partner's own verify counts every order, more than the scope holds.
    const all = find(await verifyWhole(), 'archive_fidelity', 'order').facts!.legacyRows!;
    expect(all).toBeGreaterThan(orders);
  });

  it('seals a report with the scoped results that the chain check accepts', async () => {
    const results = [...(await verifyScoped()).values()].flat();
    const waveId = (await db()('migration.waves').first('id').where({ name: 'w1' })).id;
    const run = await createRun(fixture.services.target, { kind: 'sync', waveId, watermark });
    await insertReconciliations(fixture.services.target, run.id, results);
    const sealed = await sealRunReport(
      fixture.services,
      { runId: run.id, runKind: 'sync', waveName: 'w1', watermark },
      [setup.partnerId, setup.otherPartnerId],
      { results },
    );
    await finishRun(fixture.services.target, run.id, 'succeeded', undefined);
    expect(sealed.report.verdict).toBe('pass');
    const stored = await db()('migration.reports').first('body').where({ run_id: run.id });
    expect(JSON.stringify(stored.body)).toContain(`(scope: ${setup.scope.orders.length} orders)`);
    const chain = await runPpm(['report', '--verify-chain'], fixture.env);
    expect(chain.stdout).toMatch(/report chain intact/);
    expect(chain.code).toBe(0);
  });

  it('with an empty scope still checks the account side', async () => {
    const empty: PartnerScope = { orders: [], invoices: [], subscriptionRefs: [] };
    const clean = (await verifyScoped(empty)).get(setup.partnerId)!;
    expect(failures(clean)).toEqual([]);
    expect(find(clean, 'archive_fidelity', 'order')).toMatchObject({ facts: { legacyRows: 0, targetRows: 0 } });
    expect(find(clean, 'integrity', 'subscription').expected).toBe('0 subscriptions (scope: 0 subscription refs)');

    const licensee = await db()('marketplace.licensees')
      .join('marketplace.accounts as a', 'a.id', 'marketplace.licensees.account_id')
      .first('marketplace.licensees.id', 'marketplace.licensees.name', 'legacy_customer_id')
      .where('a.legacy_partner_id', setup.partnerId)
      .orderBy('marketplace.licensees.id');
    await db()('marketplace.licensees').update({ name: 'Tampered Ltd' }).where({ id: licensee.id });
    try {
      const tampered = (await verifyScoped(empty)).get(setup.partnerId)!;
      expect(keysNamed(failures(tampered))).toEqual([`customer:${licensee.legacy_customer_id}`]);
    } finally {
      await db()('marketplace.licensees').update({ name: licensee.name }).where({ id: licensee.id });
    }
  });
});

describe('a scoped verify fails on a scoped row that differs, naming its key', () => {
  afterEach(async () => {
    const results = await verifyScoped();
    expect(discrepancies([...results.values()].flat())).toEqual([]);
  });

  it('an archived line of a scoped order, bisected within the scope only', async () => {
    // A line outside the scope differs too: the scope's bisection must not find it.
    const lineOf = async (orderId: number) =>
      (
        await db().raw(
          'SELECT legacy_order_line_id AS id, unit_price::text AS price FROM archive.order_lines WHERE legacy_order_id = ? ORDER BY 1 LIMIT 1',
          [orderId],
        )
      ).rows[0] as { id: number; price: string };
    const line = await lineOf(setup.scope.orders.at(-1)!);
    const outside = await lineOf(setup.outside.orderId);
    const bump =
      'UPDATE archive.order_lines SET unit_price = unit_price + 1 WHERE legacy_order_line_id = ANY(?::int[])';
    await asLoader(db(), bump, [[line.id, outside.id]]);
    try {
      const results = await verifyScoped();
      expect(failures(results.get(setup.otherPartnerId)!)).toEqual([]);
      const failed = failures(results.get(setup.partnerId)!);
      expect(keysNamed(failed)).toEqual([`order_line:${line.id}`]);
      expect(discrepancies(failed)).toEqual([
        expect.objectContaining({
          check: 'archive_fidelity',
          entity: 'order_line',
          legacyKey: String(line.id),
          kind: 'changed',
          columns: [{ column: 'unit_price', legacy: line.price, target: (Number(line.price) + 1).toFixed(4) }],
        }),
      ]);
      expect(find(failed, 'archive_fidelity', 'order_line')).toMatchObject({
        expected: expect.stringContaining(`(scope: ${setup.scope.orders.length} orders)`),
        facts: { legacyRows: setup.scopedLines, targetRows: setup.scopedLines },
      });
      expect(keysNamed(failures(await verifyWhole()))).toEqual(
        [`order_line:${line.id}`, `order_line:${outside.id}`].sort(),
      );
    } finally {
      for (const { id, price } of [line, outside])
        await asLoader(db(), 'UPDATE archive.order_lines SET unit_price = ?::numeric WHERE legacy_order_line_id = ?', [
          price,
          id,
        ]);
    }
  });

  it('a subscription of a scoped ref', async () => {
    const ref = setup.scope.subscriptionRefs[0]!;
    const subscription = await db()('marketplace.subscriptions').first('id', 'quantity').where({ external_ref: ref });
    await db()('marketplace.subscriptions')
      .update({ quantity: subscription.quantity + 5 })
      .where({ id: subscription.id });
    try {
      const failed = failures((await verifyScoped()).get(setup.partnerId)!);
      expect(discrepancies(failed)).toEqual([
        expect.objectContaining({
          check: 'integrity',
          entity: 'subscription',
          legacyKey: ref,
          marketplaceId: subscription.id,
          kind: 'changed',
          columns: [
            { column: 'quantity', legacy: String(subscription.quantity), target: String(subscription.quantity + 5) },
          ],
        }),
      ]);
    } finally {
      await db()('marketplace.subscriptions')
        .update({ quantity: subscription.quantity })
        .where({ id: subscription.id });
    }
  });

  it('the money of a scoped invoice', async () => {
    const invoiceId = setup.scope.invoices[0]!;
    const { net_amount: net } = await db()('archive.invoices')
      .first(db().raw('net_amount::text AS net_amount'))
      .where({ legacy_invoice_id: invoiceId });
    await asLoader(db(), 'UPDATE archive.invoices SET net_amount = net_amount + 0.01 WHERE legacy_invoice_id = ?', [
      invoiceId,
    ]);
    try {
      const failed = failures((await verifyScoped()).get(setup.partnerId)!);
      expect(keysNamed(failed)).toEqual([`invoice:${invoiceId}`]);
      expect(find(failed, 'archive_fidelity', 'invoice').discrepancies).toEqual([
        expect.objectContaining({
          legacyKey: String(invoiceId),
          kind: 'changed',
          columns: [{ column: 'net_amount', legacy: net, target: (Number(net) + 0.01).toFixed(4) }],
        }),
      ]);
      const money = find(failed, 'archive_fidelity', 'invoice_money');
      expect(money.expected).toMatch(/\(scope: 2 invoices\)$/);
      expect(money.discrepancies).toEqual([
        expect.objectContaining({
          kind: 'sum',
          columns: [expect.objectContaining({ column: expect.stringMatching(/^net /) })],
        }),
      ]);
    } finally {
      await asLoader(db(), 'UPDATE archive.invoices SET net_amount = ?::numeric WHERE legacy_invoice_id = ?', [
        net,
        invoiceId,
      ]);
    }
  });
});

describe('a scoped verify names what a whole verify names, for rows of its scope', () => {
  it('a scoped order deleted from the archive, its lines left behind', async () => {
    const orderId = setup.scope.orders.at(-1)!;
    const saved = await snapshotRow(db(), 'archive.orders', 'legacy_order_id = ?', [orderId]);
    await asLoader(db(), 'DELETE FROM archive.orders WHERE legacy_order_id = ?', [orderId]);
    try {
      const scoped = failures((await verifyScoped()).get(setup.partnerId)!);
      const whole = failures(await verifyWhole());
      expect(keysNamed(scoped)).toEqual([`order:${orderId}`]);
      expect(keysNamed(scoped)).toEqual(keysNamed(whole));
      expect(discrepancies(scoped)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'completeness', entity: 'order', kind: 'missing' }),
          expect.objectContaining({ check: 'archive_fidelity', entity: 'order', kind: 'missing' }),
          // Its lines now name a missing order: the scope's orphans are its own.
          expect.objectContaining({ check: 'integrity', entity: 'order', kind: 'dangling' }),
        ]),
      );
    } finally {
      await restoreRow(db(), 'archive.orders', saved);
    }
    expect(failures((await verifyScoped()).get(setup.partnerId)!)).toEqual([]);
  });

  it('the agreement of a scoped ref', async () => {
    const agreement = await db()('marketplace.agreements')
      .join('marketplace.subscriptions as s', 's.agreement_id', 'marketplace.agreements.id')
      .first('marketplace.agreements.id', 'marketplace.agreements.name', 'licensee_id', 'marketplace.agreements.sku')
      .where('s.external_ref', setup.scope.subscriptionRefs[0]!);
    await db()('marketplace.agreements').update({ name: 'Tampered agreement' }).where({ id: agreement.id });
    try {
      const scoped = failures((await verifyScoped()).get(setup.partnerId)!);
      expect(discrepancies(scoped)).toEqual([
        expect.objectContaining({
          check: 'integrity',
          entity: 'agreement',
          legacyKey: `${agreement.licensee_id}|${agreement.sku}`,
          marketplaceId: agreement.id,
          kind: 'changed',
          columns: [{ column: 'name', legacy: agreement.name, target: 'Tampered agreement' }],
        }),
      ]);
    } finally {
      await db()('marketplace.agreements').update({ name: agreement.name }).where({ id: agreement.id });
    }
  });

  it('an agreement of the scoped partner without any subscription, whatever its refs', async () => {
    // One a faulty apply could leave behind: it belongs to no ref, so no scope's refs reach it.
    const template = await db()('marketplace.agreements as g')
      .join('marketplace.accounts as a', 'a.id', 'g.account_id')
      .first('g.*')
      .where('a.legacy_partner_id', setup.partnerId);
    const left = { ...template, id: 'AGR-0000-0000-0042', sku: 'LEFT-BEHIND', name: 'Left behind' };
    delete left.created_at;
    delete left.updated_at;
    delete left.row_hash;
    await db()('marketplace.agreements').insert(left);
    try {
      const extra = expect.objectContaining({
        check: 'integrity',
        entity: 'agreement',
        legacyKey: `${left.licensee_id}|LEFT-BEHIND`,
        marketplaceId: left.id,
        kind: 'extra',
      });
      const scoped = failures((await verifyScoped()).get(setup.partnerId)!);
      expect(discrepancies(scoped)).toEqual([extra]);
      expect(keysNamed(scoped)).toEqual(keysNamed(failures(await verifyWhole())));
      const none: PartnerScope = { orders: [], invoices: [], subscriptionRefs: [] };
      expect(discrepancies(failures((await verifyScoped(none)).get(setup.partnerId)!))).toEqual([extra]);
    } finally {
      await db()('marketplace.agreements').delete().where({ id: left.id });
    }
    expect(failures((await verifyScoped()).get(setup.partnerId)!)).toEqual([]);
  });

  it('a line of the partner verified whole beside the scoped one, in the same statements', async () => {
    const {
      rows: [line],
    } = await db().raw(
      `SELECT l.legacy_order_line_id AS id, l.unit_price::text AS price FROM archive.order_lines l
         JOIN archive.orders o ON o.legacy_order_id = l.legacy_order_id
        WHERE o.legacy_partner_id = ? ORDER BY 1 DESC LIMIT 1`,
      [setup.otherPartnerId],
    );
    await asLoader(db(), 'UPDATE archive.order_lines SET unit_price = unit_price + 1 WHERE legacy_order_line_id = ?', [
      line.id,
    ]);
    try {
      const results = await verifyScoped();
      expect(failures(results.get(setup.partnerId)!)).toEqual([]);
      expect(keysNamed(failures(results.get(setup.otherPartnerId)!))).toEqual([`order_line:${line.id}`]);
    } finally {
      await asLoader(db(), 'UPDATE archive.order_lines SET unit_price = ?::numeric WHERE legacy_order_line_id = ?', [
        line.price,
        line.id,
      ]);
    }
  });
});

describe('a scoped verify does not read what its scope leaves out', () => {
  it('passes over tampered rows outside the scope, which a whole verify of the partner names', async () => {
    const { orderId, invoiceId, ref } = setup.outside;
    const {
      rows: [line],
    } = await db().raw(
      'SELECT legacy_order_line_id AS id, unit_price::text AS price FROM archive.order_lines WHERE legacy_order_id = ? ORDER BY 1 LIMIT 1',
      [orderId],
    );
    const { net_amount: net } = await db()('archive.invoices')
      .first(db().raw('net_amount::text AS net_amount'))
      .where({ legacy_invoice_id: invoiceId });
    const subscription = await db()('marketplace.subscriptions').first('id', 'quantity').where({ external_ref: ref });
    const restore = async () => {
      await asLoader(db(), 'UPDATE archive.order_lines SET unit_price = ?::numeric WHERE legacy_order_line_id = ?', [
        line.price,
        line.id,
      ]);
      await asLoader(db(), 'UPDATE archive.invoices SET net_amount = ?::numeric WHERE legacy_invoice_id = ?', [
        net,
        invoiceId,
      ]);
      await db()('marketplace.subscriptions')
        .update({ quantity: subscription.quantity })
        .where({ id: subscription.id });
    };
    await asLoader(db(), 'UPDATE archive.order_lines SET unit_price = unit_price + 1 WHERE legacy_order_line_id = ?', [
      line.id,
    ]);
    await asLoader(db(), 'UPDATE archive.invoices SET net_amount = net_amount + 0.01 WHERE legacy_invoice_id = ?', [
      invoiceId,
    ]);
    await db()('marketplace.subscriptions')
      .update({ quantity: subscription.quantity + 5 })
      .where({ id: subscription.id });
    try {
      const scoped = (await verifyScoped()).get(setup.partnerId)!;
      expect(discrepancies(scoped)).toEqual([]);
      expect(failures(scoped)).toEqual([]);
      const whole = failures(await verifyWhole());
      expect(keysNamed(whole)).toEqual(
        expect.arrayContaining([`order_line:${line.id}`, `invoice:${invoiceId}`, `subscription:${ref}`]),
      );
    } finally {
      await restore();
    }
    expect(failures(await verifyWhole())).toEqual([]);
  });
});

describe('a scoped verify after a sync, over what the sync applied', () => {
  let legacy: Connection;

  beforeAll(async () => {
    legacy = await mysql.createConnection(fixture.env.LEGACY_DATABASE_URL);
  });

  afterAll(async () => {
    await legacy?.end();
  });

  async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
    const [rows] = await legacy.query<RowDataPacket[]>(sql, params);
    if (rows.length === 0) throw new Error(`no legacy row for: ${sql}`);
    return rows[0] as T;
  }

  it('passes over an order deleted, an order line changed and an invoice added, with the refs they touch', async () => {
    const { partnerId } = setup;
    const line = await one<{ OrderLineId: number; OrderId: number }>(
      `SELECT l.OrderLineId, l.OrderId FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId
        WHERE o.PartnerId = ? AND TRIM(l.SubscriptionRef) = ? AND TRIM(o.Status) = 'Completed'
        ORDER BY o.OrderDate, o.OrderId LIMIT 1`,
      [partnerId, setup.scope.subscriptionRefs[0]],
    );
    await legacy.query('UPDATE OrderLines SET Quantity = Quantity + 2 WHERE OrderLineId = ?', [line.OrderLineId]);
    const dropped = await one<{ OrderId: number }>(
      `SELECT OrderId FROM Orders WHERE PartnerId = ? AND TRIM(Status) <> 'Completed' ORDER BY OrderId DESC LIMIT 1`,
      [partnerId],
    );
    await legacy.query('DELETE FROM OrderLines WHERE OrderId = ?', [dropped.OrderId]);
    await legacy.query('DELETE FROM Orders WHERE OrderId = ?', [dropped.OrderId]);
    const model = await one<{ InvoiceId: number }>(
      `SELECT i.InvoiceId FROM Invoices i WHERE i.PartnerId = ?
          AND EXISTS (SELECT 1 FROM InvoiceLines l WHERE l.InvoiceId = i.InvoiceId) ORDER BY i.InvoiceId LIMIT 1`,
      [partnerId],
    );
    await legacy.query(
      `INSERT INTO Invoices (InvoiceNumber, PartnerId, DocumentType, InvoiceDate, DueDate, CurrencyCode, NetAmount, TaxAmount, GrossAmount, Status)
       SELECT CONCAT('SCOPE-', InvoiceNumber), PartnerId, DocumentType, InvoiceDate, DueDate, CurrencyCode, NetAmount, TaxAmount, GrossAmount, 'Open'
         FROM Invoices WHERE InvoiceId = ?`,
      [model.InvoiceId],
    );
    const added = await one<{ id: number }>('SELECT MAX(InvoiceId) AS id FROM Invoices');
    await legacy.query(
      `INSERT INTO InvoiceLines (InvoiceId, OrderId, CustomerId, Description, Quantity, UnitPrice, Amount, TaxRate)
       SELECT ?, OrderId, CustomerId, Description, Quantity, UnitPrice, Amount, TaxRate FROM InvoiceLines WHERE InvoiceId = ?`,
      [added.id, model.InvoiceId],
    );

    const synced = await runSync(fixture.services);
    expect(synced.passed).toBe(true);
    const { watermark: syncedAt } = await db()('migration.wave_partners')
      .first('watermark')
      .where({ legacy_partner_id: partnerId });
    const scope: PartnerScope = {
      orders: [line.OrderId, dropped.OrderId],
      invoices: [added.id],
      subscriptionRefs: setup.scope.subscriptionRefs,
    };
    const results = (
      await verifyPartners(fixture.services, [partnerId], String(syncedAt), undefined, new Map([[partnerId, scope]]))
    ).get(partnerId)!;
    expect(discrepancies(results)).toEqual([]);
    expect(failures(results)).toEqual([]);
    // The deleted order is in neither database any more (the archive keeps it, marked deleted).
    expect(find(results, 'archive_fidelity', 'order')).toMatchObject({
      expected: expect.stringContaining('(scope: 2 orders)'),
      facts: { legacyRows: 1, targetRows: 1 },
    });
    expect(find(results, 'archive_fidelity', 'invoice').facts).toEqual({ legacyRows: 1, targetRows: 1 });
    const changed = await db()('archive.order_lines')
      .first('quantity')
      .where({ legacy_order_line_id: line.OrderLineId });
    const [[legacyLine]] = await legacy.query<RowDataPacket[]>(
      'SELECT Quantity FROM OrderLines WHERE OrderLineId = ?',
      [line.OrderLineId],
    );
    expect(changed.quantity).toBe(legacyLine!.Quantity);
  });
});
