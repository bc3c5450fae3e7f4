import { Client } from 'pg';
import mysql from 'mysql2/promise';
import { runPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { targetFingerprint } from '../helpers/fingerprint';
import { connectRedis } from '../../pipelines/jobs/redis';
import { acquireWaveLease } from '../../pipelines/jobs/wave-lease';

/** A whole wave through the CLI as a data engineer runs it: seed, migrate, plan, run, run again. */
describe('ppm wave run, end to end', () => {
  let legacy: TestDatabase;
  let target: TestDatabase;
  let env: Record<string, string>;
  let firstRun: Awaited<ReturnType<typeof runPpm>>;
  let pg: Client;
  let my: mysql.Connection;

  beforeAll(async () => {
    [legacy, target] = await Promise.all([freshMariaDb('e2e'), freshPostgres('e2e')]);
    env = {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: freshQueuePrefix('e2e'),
      BATCH_SIZE: '100',
      PARTITION_SIZE: '120',
    };
    expect((await runPpm(['legacy', 'seed', '--partners', '14', '--seed', '5'], env)).code).toBe(0);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    firstRun = await runPpm(['wave', 'run', 'w1'], env);
    pg = new Client({ connectionString: target.url });
    await pg.connect();
    my = await mysql.createConnection({ uri: legacy.url, supportBigNumbers: true, bigNumberStrings: true });
  });

  afterAll(async () => {
    await pg?.end();
    await my?.end();
    await Promise.all([legacy?.drop(), target?.drop(), env && dropQueues(env.QUEUE_PREFIX)]);
  });

  it('exits 0 and ends with the per-entity table', () => {
    expect(firstRun.stderr).not.toMatch(/failed/);
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toMatch(/entity\s+extracted\s+loaded\s+quarantined\s+skipped/);
    for (const entity of ['partner', 'user', 'customer', 'order', 'order_line', 'invoice', 'invoice_line']) {
      expect(firstRun.stdout).toMatch(new RegExp(`^${entity}\\s+\\d+`, 'm'));
    }
  });

  it('stamps the wave with its run: succeeded, started and finished', async () => {
    const { rows } = await pg.query(
      `SELECT status, started_at IS NOT NULL AND finished_at >= started_at AS stamped FROM migration.waves WHERE name = 'w1'`,
    );
    expect(rows).toEqual([{ status: 'succeeded', stamped: true }]);
  });

  it('split the big partners into several partition jobs', async () => {
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM migration.checkpoints WHERE job_key LIKE 'orders:%' AND job_key <> 'orders:0'`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('leaves planner statistics of every table it wrote', async () => {
    const { rows } = await pg.query(`SELECT schemaname || '.' || relname AS t, last_analyze IS NOT NULL AS analyzed
                                       FROM pg_stat_user_tables WHERE schemaname IN ('archive', 'marketplace') AND relname <> 'sellers' ORDER BY 1`);
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(rows.filter((row) => !row.analyzed)).toEqual([]);
  });

  it('accounts for every legacy row per entity and partner: extracted = loaded + quarantined + skipped', async () => {
    const legacyCounts = async (sql: string) => {
      const [rows] = await my.query(sql);
      return new Map((rows as { p: number; n: number }[]).map((row) => [Number(row.p), Number(row.n)]));
    };
    const targetCounts = async (sql: string) =>
      new Map((await pg.query(sql)).rows.map((row) => [Number(row.p), Number(row.n)]));
    const kept = (entity: string) =>
      `SELECT legacy_partner_id AS p, count(*) AS n FROM (
         SELECT legacy_partner_id FROM migration.quarantine WHERE entity = '${entity}' AND resolved_at IS NULL
         UNION ALL SELECT legacy_partner_id FROM migration.skipped WHERE entity = '${entity}' AND resolved_at IS NULL) k GROUP BY 1`;
    const cases: [string, string, string][] = [
      [
        'partner',
        'SELECT PartnerId AS p, COUNT(*) AS n FROM Partners GROUP BY 1',
        'SELECT legacy_partner_id AS p, count(*) AS n FROM marketplace.accounts GROUP BY 1',
      ],
      [
        'user',
        'SELECT PartnerId AS p, COUNT(*) AS n FROM PartnerUsers GROUP BY 1',
        'SELECT a.legacy_partner_id AS p, count(*) AS n FROM marketplace.account_users au JOIN marketplace.accounts a ON a.id = au.account_id GROUP BY 1',
      ],
      [
        'customer',
        'SELECT PartnerId AS p, COUNT(*) AS n FROM Customers GROUP BY 1',
        'SELECT a.legacy_partner_id AS p, count(*) AS n FROM marketplace.licensees l JOIN marketplace.accounts a ON a.id = l.account_id GROUP BY 1',
      ],
    ];
    for (const [entity, legacySql, loadedSql] of cases) {
      const extracted = await legacyCounts(legacySql);
      const loaded = await targetCounts(loadedSql);
      const keptOut = await targetCounts(kept(entity));
      for (const [partnerId, n] of extracted) {
        expect({ entity, partnerId, n: (loaded.get(partnerId) ?? 0) + (keptOut.get(partnerId) ?? 0) }).toEqual({
          entity,
          partnerId,
          n,
        });
      }
    }
  });

  it('archives every order, line, invoice and line of every partner, with equal money sums per partner and currency', async () => {
    const [legacyRows] = await my.query(`
      SELECT 'order' AS e, PartnerId AS p, UPPER(TRIM(CurrencyCode)) AS c, COUNT(*) AS n, SUM(TotalAmount) AS s FROM Orders GROUP BY 1, 2, 3
      UNION ALL SELECT 'invoice', PartnerId, UPPER(TRIM(CurrencyCode)), COUNT(*), SUM(GrossAmount) FROM Invoices GROUP BY 1, 2, 3
      UNION ALL SELECT 'order_line', o.PartnerId, '', COUNT(*), SUM(l.LineTotal) FROM OrderLines l JOIN Orders o ON o.OrderId = l.OrderId GROUP BY 1, 2, 3
      UNION ALL SELECT 'invoice_line', i.PartnerId, '', COUNT(*), SUM(l.Amount) FROM InvoiceLines l JOIN Invoices i ON i.InvoiceId = l.InvoiceId GROUP BY 1, 2, 3`);
    const { rows: archiveRows } = await pg.query(`
      SELECT 'order' AS e, legacy_partner_id AS p, currency AS c, count(*) AS n, sum(total_amount)::text AS s FROM archive.orders GROUP BY 1, 2, 3
      UNION ALL SELECT 'invoice', legacy_partner_id, currency, count(*), sum(gross_amount)::text FROM archive.invoices GROUP BY 1, 2, 3
      UNION ALL SELECT 'order_line', o.legacy_partner_id, '', count(*), sum(l.line_total)::text FROM archive.order_lines l JOIN archive.orders o USING (legacy_order_id) GROUP BY 1, 2, 3
      UNION ALL SELECT 'invoice_line', i.legacy_partner_id, '', count(*), sum(l.amount)::text FROM archive.invoice_lines l JOIN archive.invoices i USING (legacy_invoice_id) GROUP BY 1, 2, 3`);
    const key = (row: { e: string; p: number; c: string }) => `${row.e}|${row.p}|${row.c}`;
    const legacyMap = new Map(
      (legacyRows as { e: string; p: number; c: string; n: number; s: string }[]).map((row) => [
        key(row),
        `${Number(row.n)} ${row.s}`,
      ]),
    );
    const archiveMap = new Map(archiveRows.map((row) => [key(row), `${Number(row.n)} ${row.s}`]));
    expect(legacyMap.size).toBeGreaterThan(20);
    expect(Object.fromEntries(archiveMap)).toEqual(Object.fromEntries(legacyMap));
  });

  it('running the same wave again changes no row and no id', async () => {
    const xmins = async () =>
      (
        await pg.query(`SELECT (SELECT md5(string_agg(xmin::text, ',' ORDER BY id)) FROM marketplace.licensees) AS l,
                              (SELECT md5(string_agg(xmin::text, ',' ORDER BY legacy_order_line_id)) FROM archive.order_lines) AS o,
                              (SELECT md5(string_agg(xmin::text, ',' ORDER BY id)) FROM marketplace.subscriptions) AS s`)
      ).rows[0];
    const before = await targetFingerprint(target.url);
    const xminBefore = await xmins();
    const again = await runPpm(['wave', 'run', 'w1'], env);
    expect(again.code).toBe(0);
    const after = await targetFingerprint(target.url);
    expect(after.tables).toEqual(before.tables);
    expect(after.idMap).toEqual(before.idMap);
    expect(after.quarantine).toEqual(before.quarantine);
    expect(after.skipped).toEqual(before.skipped);
    expect(await xmins()).toEqual(xminBefore);
  });

  it('refuses to run a wave that is running elsewhere', async () => {
    const redis = connectRedis(TEST_REDIS_URL);
    const lease = await acquireWaveLease(redis, env.QUEUE_PREFIX, 'w1', 10_000);
    try {
      const refused = await runPpm(['wave', 'run', 'w1'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/wave "w1" is already running/);
    } finally {
      await lease.release();
      redis.disconnect();
    }
  });

  it('rejects bad input with exit code 2 and a clear message, losing nothing', async () => {
    const bad = await runPpm(['wave', 'run', 'w1'], {
      ...env,
      LEGACY_DATABASE_URL: 'oracle://sa:Sup3rSecret@db:1521/pp',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LEGACY_DATABASE_URL: must be/);
    expect(bad.stderr + bad.stdout).not.toMatch(/Sup3rSecret/);
    const unknown = await runPpm(['wave', 'run', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no wave named "nope"/);
    const noSelection = await runPpm(['wave', 'plan', 'w2'], env);
    expect(noSelection.code).toBe(2);
    expect(noSelection.stderr).toMatch(/--partners, --count or --all/);
    const badIds = await runPpm(['wave', 'plan', 'w2', '--partners', '1,99999'], env);
    expect(badIds.code).toBe(2);
    expect(badIds.stderr).toMatch(/no legacy partner with id 99999/);
    const duplicate = await runPpm(['wave', 'plan', 'w1', '--count', '1'], env);
    expect(duplicate.code).toBe(2);
    const reseed = await runPpm(['legacy', 'seed', '--partners', '3'], env);
    expect(reseed.code).toBe(2);
    expect(reseed.stderr).toMatch(/already holds partners; refusing/);
    const [rows] = await my.query('SELECT COUNT(*) AS n FROM Partners');
    expect(Number((rows as { n: number }[])[0].n)).toBe(14);
  });

  it('runs the wave in a new marketplace database behind the same queue prefix, whose run 1 is not the old run 1', async () => {
    // The first database's finished wave job stays in Redis for a day; run ids restart at 1 in a new database.
    const second = await freshPostgres('e2e_again');
    try {
      const again = { ...env, MARKETPLACE_DATABASE_URL: second.url };
      expect((await runPpm(['db', 'migrate'], again)).code).toBe(0);
      expect((await runPpm(['wave', 'plan', 'w1', '--all'], again)).code).toBe(0);
      const run = await runPpm(['wave', 'run', 'w1'], again);
      expect(run.stderr).not.toMatch(/failed/);
      expect(run.code).toBe(0);
      const client = new Client({ connectionString: second.url });
      await client.connect();
      try {
        const {
          rows: [runRow],
        } = await client.query("SELECT id::text AS id FROM migration.runs WHERE kind = 'wave'");
        expect(runRow.id).toBe('1');
        const { rows: states } = await client.query(
          'SELECT state, count(*)::int AS n FROM migration.wave_partners GROUP BY 1',
        );
        // Cut over and done, but for quarantined partners: verified, and left alone.
        const {
          rows: [quarantined],
        } = await client.query(
          "SELECT count(*)::int AS n FROM migration.quarantine WHERE entity = 'partner' AND resolved_at IS NULL",
        );
        const count = (state: string) => states.find((row) => row.state === state)?.n ?? 0;
        expect(count('verified')).toBe(quarantined.n);
        expect(count('done')).toBe(14 - quarantined.n);
      } finally {
        await client.end();
      }
    } finally {
      await second.drop();
    }
  });
});
