import { sealRunReport } from '../../pipelines/commands/verify-wave';
import { connectTarget, listWavePartners } from '../../src/load';
import { databaseOf } from '../../src/core/config';
import type { Report } from '../../src/verify';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import {
  expectedRowsChecksum,
  HASHED_COMPARISONS,
  readMarketplaceHashes,
  readMarketplaceTableRows,
} from '../../src/verify';
import { marketplaceRowHashExpression } from '../../src/verify/sql/read-marketplace-rows';
import { archiveRowHashExpression } from '../../src/verify/sql/archive-canonical';
import { ARCHIVE_ENTITIES, CANONICAL } from '../../src/core/canonical';
import { runPpm } from '../helpers/cli';
import { asLoader, cleanWave, restoreRow, snapshotRow, type VerifiedWave } from './verify-fixture';

let fixture: VerifiedWave;
/** The database's owner: tampering (DDL, ALTER DATABASE, archive writes) needs more than the pipeline's ppm_loader. */
let owner: ReturnType<typeof connectTarget>;

beforeAll(async () => {
  fixture = await cleanWave('verify_tamper', 10);
  owner = connectTarget(fixture.env.MARKETPLACE_DATABASE_URL);
}, 180_000);

afterAll(async () => {
  await owner?.destroy();
  await fixture?.close();
});

const db = () => owner;

/** The (entity, legacy key) pairs the report's discrepancies name. */
function namedKeys(report: Report): string[] {
  return [
    ...new Set(report.discrepancies.filter((d) => d.legacyKey !== null).map((d) => `${d.entity}:${d.legacyKey}`)),
  ].sort();
}

async function verifyExpectingFailure(): Promise<Report> {
  const result = await verifyWave(fixture.services, 'w1');
  expect(result.passed).toBe(false);
  expect(result.report.verdict).toBe('fail');
  return result.report;
}

async function verifyClean(): Promise<void> {
  const result = await verifyWave(fixture.services, 'w1');
  expect(result.report.discrepancies).toEqual([]);
  expect(result.passed).toBe(true);
}

describe('ppm verify after a clean wave', () => {
  it('the wave itself verified every partner', async () => {
    expect(fixture.wave.failed).toEqual([]);
    expect(fixture.wave.reportSha256).toMatch(/^[0-9a-f]{64}$/);
    const partners = await listWavePartners(db(), (await db()('migration.waves').first('id').where({ name: 'w1' })).id);
    expect(partners.map((p) => p.state)).toEqual(Array(10).fill('verified'));
  });

  it("keeps a run's seal when the run is sealed again (a resume after a crash between seal and finish)", async () => {
    const [{ count: before }] = await db()('migration.reports').count<{ count: string }[]>('* as count');
    const again = await sealRunReport(
      fixture.services,
      { runId: fixture.wave.runId, runKind: 'wave', waveName: 'w1', watermark: null },
      [],
    );
    expect(again.sha256).toBe(fixture.wave.reportSha256);
    const [{ count: after }] = await db()('migration.reports').count<{ count: string }[]>('* as count');
    expect(after).toBe(before);
  });

  it('hashes marketplace rows in PostgreSQL exactly as it hashes the rows the mapping expects', async () => {
    // Were they to differ, every partner's rows would be read and compared: still correct, but the hashes would be for nothing.
    const partnerIds = (await db()('migration.wave_partners').select('legacy_partner_id')).map(
      (row: { legacy_partner_id: number }) => row.legacy_partner_id,
    );
    let compared = 0;
    for (const spec of HASHED_COMPARISONS) {
      const hashes = await readMarketplaceHashes(db(), spec.table, partnerIds);
      for (const partnerId of partnerIds) {
        const rows = await readMarketplaceTableRows(db(), spec.table, partnerId);
        const expected = expectedRowsChecksum(rows as never[], spec.columns as never);
        expect(hashes.get(partnerId) ?? { count: 0, sum: '0', minKey: null, maxKey: null }).toEqual(expected);
        compared += rows.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("keeps every hashed marketplace row's stored hash equal to the hash of its compared columns, edge values included", async () => {
    // Verification sums the stored row_hash of licensees, agreements and subscriptions: the generated column must hash what is compared.
    const differing = async (session: typeof fixture.services.target) => {
      const counts: Record<string, [number, number]> = {};
      for (const spec of HASHED_COMPARISONS) {
        const {
          rows: [row],
        } = await session.raw(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE t.row_hash IS DISTINCT FROM ${marketplaceRowHashExpression(spec.columns)})::int AS differ` +
            ` FROM marketplace.${spec.table} t`,
        );
        counts[spec.table] = [row.n, row.differ];
      }
      return counts;
    };
    for (const [rows, differ] of Object.values(await differing(db()))) {
      expect(rows).toBeGreaterThan(0);
      expect(differ).toBe(0);
    }
    // Values the seed may not hold, written the way the platform would: NULLs, an early year, a padded char(2), negative quantities.
    await db()
      .transaction(async (trx) => {
        await trx.raw(`UPDATE marketplace.subscriptions SET termination_date = CASE WHEN quantity % 2 = 0 THEN '0999-01-02'::date END,
        start_date = '2024-02-29', auto_renew = NOT auto_renew, quantity = -quantity, name = name || ' Zürich'`);
        await trx.raw(`UPDATE marketplace.licensees SET tenant_id = CASE WHEN resale THEN NULL ELSE '6f1c2a4e-0d5b-4a8e-9c3f-1b2d3e4f5a6b'::uuid END,
        country = CASE WHEN resale THEN NULL ELSE 'C' END, city = NULL, resale = NOT resale`);
        await trx.raw("UPDATE marketplace.agreements SET name = '', status = 'Terminated'");
        for (const [rows, differ] of Object.values(await differing(trx))) {
          expect(rows).toBeGreaterThan(0);
          expect(differ).toBe(0);
        }
        await trx.rollback();
      })
      .catch((error: unknown) => {
        // knex rejects the transaction promise with this on an explicit rollback without a reason.
        if (!(error instanceof Error && /Transaction rejected with non-error: undefined/.test(error.message)))
          throw error;
      });
  });

  it('starts every pipeline session with DateStyle ISO, JIT and parallel workers off and random_page_cost 1.1, whatever the database default', async () => {
    // The marketplace row hashes read dates as their own text: a server set to another DateStyle must not change them.
    const database = databaseOf(fixture.env.MARKETPLACE_DATABASE_URL);
    await db().raw(`ALTER DATABASE ${database} SET DateStyle = 'SQL, DMY'`);
    const session = connectTarget(fixture.env.MARKETPLACE_DATABASE_URL);
    try {
      const {
        rows: [row],
      } = await session.raw(
        "SELECT '2024-02-29'::date::text AS d, current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers, current_setting('random_page_cost') AS rpc",
      );
      expect(row).toEqual({ d: '2024-02-29', jit: 'off', workers: '0', rpc: '1.1' });
    } finally {
      await session.destroy();
      await db().raw(`ALTER DATABASE ${database} RESET DateStyle`);
    }
  });

  it("keeps every archive row's stored hash equal to the canonical hash of its columns, edge values included", async () => {
    // Verification sums the stored row_hash; it is only right if PostgreSQL's generated column is the canonical hash.
    const differing = async (db: typeof fixture.services.target, where = 'true') => {
      const counts: Record<string, [number, number]> = {};
      for (const entity of ARCHIVE_ENTITIES) {
        const {
          rows: [row],
        } = await db.raw(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE t.row_hash IS DISTINCT FROM ${archiveRowHashExpression(entity)})::int AS differ` +
            ` FROM ${CANONICAL[entity].archiveTable} t WHERE ${where}`,
        );
        counts[entity] = [row.n, row.differ];
      }
      return counts;
    };
    const loaded = await differing(db());
    for (const entity of ARCHIVE_ENTITIES) {
      expect(loaded[entity][0]).toBeGreaterThan(0);
      expect(loaded[entity][1]).toBe(0);
    }
    // Values the seed may not hold: NULLs, an early year, the last millisecond, microseconds, negative and over-precise amounts.
    await db()
      .transaction(async (trx) => {
        await trx.raw(`INSERT INTO archive.orders (legacy_order_id, legacy_partner_id, order_date_local, total_amount, order_number) VALUES
        (-1, 1, NULL, NULL, NULL), (-2, 1, '0999-01-02 03:04:05.999', -0.5, ''), (-3, 1, '2024-12-31 23:59:59.123456', 12.34567, 'Zürich')`);
        await trx.raw(
          `INSERT INTO archive.order_lines (legacy_order_line_id, legacy_order_id, quantity, unit_price) VALUES (-1, -1, NULL, NULL), (-2, -2, -3, 0)`,
        );
        await trx.raw(`INSERT INTO archive.invoices (legacy_invoice_id, legacy_partner_id, invoice_date, due_date, net_amount) VALUES
        (-1, 1, '0101-02-03', NULL, -0.0001), (-2, 1, NULL, '2024-02-29', 1e10)`);
        await trx.raw(
          'INSERT INTO archive.invoice_lines (legacy_invoice_line_id, legacy_invoice_id, quantity, tax_rate) VALUES (-1, -1, 0.5, 7.7), (-2, -2, NULL, NULL)',
        );
        const edges = await differing(trx, 't.row_hash IS NOT NULL AND (t.' + 'legacy_row_version IS NULL)');
        for (const entity of ARCHIVE_ENTITIES) {
          expect(edges[entity][0]).toBeGreaterThanOrEqual(2);
          expect(edges[entity][1]).toBe(0);
        }
        await trx.rollback();
      })
      .catch((error: unknown) => {
        // knex rejects the transaction promise with this on an explicit rollback without a reason.
        if (!(error instanceof Error && /Transaction rejected with non-error: undefined/.test(error.message)))
          throw error;
      });
  });

  it('exits 0 on the untouched target, with every partner verified and every check recorded', async () => {
    const result = await runPpm(['verify', 'w1'], fixture.env);
    expect(result.code).toBe(0);
    // Off a terminal, progress is JSON lines on standard error, ending with all partners done.
    const progress = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(progress.at(-1)).toMatchObject({
      event: 'progress_done',
      task: 'verify w1',
      partners: 10,
      partners_total: 10,
    });
    expect(result.stdout).toMatch(/PASS — 10 of 10 partners verified, 0 of \d+ checks failed/);
    const runId = /verify run (\d+)/.exec(result.stdout)![1];
    const recorded = await db()('migration.reconciliations').where({ run_id: runId }).select('check', 'passed');
    expect(new Set(recorded.map((r: { check: string }) => r.check))).toEqual(
      new Set(['completeness', 'archive_fidelity', 'mapping_fidelity', 'integrity']),
    );
    expect(recorded.every((r: { passed: boolean }) => r.passed)).toBe(true);
    const json = await runPpm(['report', 'w1', '--format', 'json'], fixture.env);
    expect(JSON.parse(json.stdout).report).toMatchObject({
      verdict: 'pass',
      totals: { partners: 10, partnersPassed: 10 },
    });
  });

  it('names an unreachable marketplace database, never its password, and records nothing', async () => {
    const before = await db()('migration.runs').count<{ n: string }[]>({ n: '*' });
    const result = await runPpm(['verify', 'w1'], {
      ...fixture.env,
      MARKETPLACE_DATABASE_URL: 'postgres://auditor:s3cret-pw@127.0.0.1:1/nowhere',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ppm: cannot reach the marketplace database 127.0.0.1:1/nowhere: ');
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
    expect(await db()('migration.runs').count<{ n: string }[]>({ n: '*' })).toEqual(before);
  });

  it('seals no report when its results cannot be recorded, and fails the run', async () => {
    const reportsBefore = await db()('migration.reports').count<{ n: string }[]>({ n: '*' });
    // The results are written while the report is built: a failing write must keep the report out of the chain.
    await db().raw(
      `CREATE OR REPLACE FUNCTION public.refuse_reconciliations() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'reconciliations refused'; END $$`,
    );
    await db().raw(
      'CREATE TRIGGER refuse BEFORE INSERT ON migration.reconciliations FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_reconciliations()',
    );
    try {
      await expect(verifyWave(fixture.services, 'w1')).rejects.toThrow('reconciliations refused');
    } finally {
      await db().raw('DROP TRIGGER refuse ON migration.reconciliations');
      await db().raw('DROP FUNCTION public.refuse_reconciliations()');
    }
    expect(await db()('migration.reports').count<{ n: string }[]>({ n: '*' })).toEqual(reportsBefore);
    const run = await db()('migration.runs').first('status', 'error').where({ kind: 'verify' }).orderBy('id', 'desc');
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('reconciliations refused') });
  });

  it('exits 2 on usage errors', async () => {
    expect((await runPpm(['verify', 'no-such-wave'], fixture.env)).code).toBe(2);
    expect((await runPpm(['verify', 'w1', '--partner', 'x'], fixture.env)).code).toBe(2);
    expect((await runPpm(['report', 'w1', '--format', 'pdf'], fixture.env)).code).toBe(2);
  });
});

describe('ppm verify names exactly the tampered key', () => {
  afterEach(async () => {
    await verifyClean();
  });

  it('an amount in archive.invoice_lines', async () => {
    const {
      rows: [line],
    } = await db().raw(
      'SELECT legacy_invoice_line_id AS id, amount::text FROM archive.invoice_lines ORDER BY legacy_invoice_line_id LIMIT 1 OFFSET 123',
    );
    await asLoader(db(), 'UPDATE archive.invoice_lines SET amount = amount + 0.01 WHERE legacy_invoice_line_id = ?', [
      line.id,
    ]);
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`invoice_line:${line.id}`]);
      const changed = report.discrepancies.find((d) => d.kind === 'changed')!;
      expect(changed).toMatchObject({ check: 'archive_fidelity', entity: 'invoice_line', legacyKey: String(line.id) });
      expect(changed.columns).toEqual([
        { column: 'amount', legacy: line.amount, target: (Number(line.amount) + 0.01).toFixed(4) },
      ]);
    } finally {
      await asLoader(db(), 'UPDATE archive.invoice_lines SET amount = ?::numeric WHERE legacy_invoice_line_id = ?', [
        line.amount,
        line.id,
      ]);
    }
  });

  it('a deleted archive.orders row', async () => {
    // An order inside its partner's key span that does not feed the subscription replay.
    const {
      rows: [order],
    } = await db().raw(`SELECT o.legacy_order_id AS id, o.legacy_partner_id AS partner FROM archive.orders o
      WHERE o.marketplace_status IS DISTINCT FROM 'Completed'
        AND o.legacy_order_id > (SELECT min(legacy_order_id) FROM archive.orders x WHERE x.legacy_partner_id = o.legacy_partner_id)
        AND o.legacy_order_id < (SELECT max(legacy_order_id) FROM archive.orders x WHERE x.legacy_partner_id = o.legacy_partner_id)
      ORDER BY o.legacy_order_id LIMIT 1 OFFSET 40`);
    const saved = await snapshotRow(db(), 'archive.orders', 'legacy_order_id = ?', [order.id]);
    await asLoader(db(), 'DELETE FROM archive.orders WHERE legacy_order_id = ?', [order.id]);
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`order:${order.id}`]);
      expect(report.discrepancies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            check: 'completeness',
            entity: 'order',
            legacyKey: String(order.id),
            kind: 'missing',
          }),
          expect.objectContaining({
            check: 'archive_fidelity',
            entity: 'order',
            legacyKey: String(order.id),
            kind: 'missing',
          }),
        ]),
      );
      expect(report.partners.filter((p) => !p.passed).map((p) => p.partnerId)).toEqual([order.partner]);
    } finally {
      await restoreRow(db(), 'archive.orders', saved);
    }
  });

  it('a stray extra archive.orders row', async () => {
    const {
      rows: [order],
    } = await db().raw(
      'SELECT legacy_order_id AS id, legacy_partner_id AS partner FROM archive.orders ORDER BY legacy_order_id LIMIT 1 OFFSET 10',
    );
    const stray = 9_000_001;
    const copied = await snapshotRow(db(), 'archive.orders', 'legacy_order_id = ?', [order.id]);
    await restoreRow(db(), 'archive.orders', { ...copied, legacy_order_id: stray, order_number: 'SO-STRAY' });
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`order:${stray}`]);
      expect(report.discrepancies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            check: 'archive_fidelity',
            entity: 'order',
            legacyKey: String(stray),
            kind: 'extra',
            partnerId: order.partner,
          }),
        ]),
      );
    } finally {
      await asLoader(db(), 'DELETE FROM archive.orders WHERE legacy_order_id = ?', [stray]);
    }
  });

  it("a licensee's name", async () => {
    const licensee = await db()('marketplace.licensees')
      .first('id', 'name', 'legacy_customer_id')
      .orderBy('id')
      .offset(5);
    await db()('marketplace.licensees').update({ name: 'Tampered Ltd' }).where({ id: licensee.id });
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`customer:${licensee.legacy_customer_id}`]);
      expect(report.discrepancies).toEqual([
        expect.objectContaining({
          check: 'mapping_fidelity',
          entity: 'customer',
          legacyKey: String(licensee.legacy_customer_id),
          marketplaceId: licensee.id,
          kind: 'changed',
          columns: [{ column: 'name', legacy: licensee.name, target: 'Tampered Ltd' }],
        }),
      ]);
    } finally {
      await db()('marketplace.licensees').update({ name: licensee.name }).where({ id: licensee.id });
    }
  });

  it("a subscription's quantity", async () => {
    const subscription = await db()('marketplace.subscriptions')
      .first('id', 'external_ref', 'quantity')
      .orderBy('id')
      .offset(7);
    await db()('marketplace.subscriptions')
      .update({ quantity: subscription.quantity + 5 })
      .where({ id: subscription.id });
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`subscription:${subscription.external_ref}`]);
      expect(report.discrepancies).toEqual([
        expect.objectContaining({
          check: 'integrity',
          entity: 'subscription',
          legacyKey: subscription.external_ref,
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

  it('a deleted migration.quarantine row', async () => {
    const row = await db()('migration.quarantine')
      .first('id', 'entity', 'legacy_key')
      .whereNull('resolved_at')
      .orderBy('id')
      .offset(1);
    expect(row).toBeDefined();
    const saved = await snapshotRow(db(), 'migration.quarantine', 'id = ?', [row.id]);
    await db()('migration.quarantine').delete().where({ id: row.id });
    try {
      const report = await verifyExpectingFailure();
      expect(namedKeys(report)).toEqual([`${row.entity}:${row.legacy_key}`]);
      expect(report.discrepancies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            check: 'completeness',
            entity: row.entity,
            legacyKey: row.legacy_key,
            kind: 'missing',
          }),
        ]),
      );
    } finally {
      await restoreRow(db(), 'migration.quarantine', saved, true);
    }
  });
});

describe('ppm report --verify-chain', () => {
  it('holds for the sealed reports, and exits 1 naming the first report whose body was altered', async () => {
    const intact = await runPpm(['report', '--verify-chain'], fixture.env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/report chain intact: \d+ report\(s\)/);
    const [, second] = await db()('migration.reports').select('id', 'run_id').orderBy('id');
    await db().raw(`UPDATE migration.reports SET body = jsonb_set(body, '{verdict}', '"fail"') WHERE id = ?`, [
      second.id,
    ]);
    const broken = await runPpm(['report', '--verify-chain'], fixture.env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`report chain broken at report ${second.id} (run ${second.run_id})`);
    expect(broken.stdout).toContain('altered');
  });
});
