import mysql from 'mysql2/promise';
import { queryRows, sleep } from '../helpers/pg';
import { runPpm, startPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { targetFingerprint, type TargetFingerprint } from '../helpers/fingerprint';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { createRun, findWave } from '../../src/load';
import { openServices } from '../../pipelines/services';
import { loadPartition } from '../../pipelines/jobs/partition-job';
import { processPartnerJob } from '../../pipelines/jobs/partner-job';

/**
 * A wave of many small partners, packed into batch jobs: the same target whether it runs
 * uninterrupted, killed with SIGKILL while batches are being written and resumed, or shared by
 * two worker processes; and a row the target refuses is quarantined, its partner verified.
 * Loading only (`--no-cutover`): the partners' portals and messages are the cutover tests' matter.
 */
describe('a wave of many small partners in batches', () => {
  let legacy: TestDatabase;
  const targets: TestDatabase[] = [];
  const prefixes: string[] = [];
  let reference: TargetFingerprint;
  let referenceEnv: Record<string, string>;
  let partners: number[];

  const envFor = (target: TestDatabase, extra: Record<string, string> = {}) => {
    const prefix = freshQueuePrefix('batches');
    prefixes.push(prefix);
    return {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      // Most seeded partners are small beside 1,500 rows; batches of at most 5 of them.
      PARTITION_SIZE: '1500',
      BATCH_PARTNERS: '5',
      BATCH_SIZE: '100',
      WORKER_CONCURRENCY: '1',
      JOB_LOCK_MS: '3000',
      WAVE_LEASE_MS: '1500',
      ...extra,
    };
  };

  async function newTarget(tag: string, extra: Record<string, string> = {}) {
    const target = await freshPostgres(tag);
    targets.push(target);
    const env = envFor(target, extra);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w', '--all'], env)).code).toBe(0);
    return { target, env };
  }

  beforeAll(async () => {
    legacy = await freshMariaDb('batches');
    const seeded = await runPpm(['legacy', 'seed', '--partners', '60', '--rows', '20000', '--seed', '5'], {
      LEGACY_DATABASE_URL: legacy.url,
    });
    expect(seeded.code).toBe(0);
    const { target, env } = await newTarget('batches_ref');
    referenceEnv = env;
    const run = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect(run.stderr).toMatch(/load jobs \((\d+) batches of small partners\)/);
    expect(Number(/\((\d+) batches of small partners\)/.exec(run.stderr)![1])).toBeGreaterThanOrEqual(8);
    expect(run.code).toBe(0);
    reference = await targetFingerprint(target.url);
    const states = await queryRows<{ id: number; state: string }>(
      target.url,
      'SELECT legacy_partner_id AS id, state FROM migration.wave_partners ORDER BY 1',
    );
    partners = states.map((row) => row.id);
    expect(states.filter((row) => row.state !== 'verified')).toEqual([]);
  });

  /** The partner loaded in partitions with the most orders, and up to eight of its customers with archived orders. */
  async function refusedCustomers(): Promise<{ partner: number; customers: number[] }> {
    const picked = await queryRows<{ partner: number; customer: number }>(
      targets[0]!.url,
      `WITH big AS (
         SELECT o.legacy_partner_id AS partner FROM archive.orders o
           JOIN migration.checkpoints c ON c.legacy_partner_id = o.legacy_partner_id AND c.job_key = 'core'
          GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
       SELECT big.partner, l.legacy_customer_id AS customer FROM big
         JOIN marketplace.accounts a ON a.legacy_partner_id = big.partner
         JOIN marketplace.licensees l ON l.account_id = a.id
        WHERE EXISTS (SELECT 1 FROM archive.orders o WHERE o.legacy_customer_id = l.legacy_customer_id)
        ORDER BY 2 LIMIT 8`,
    );
    expect(picked.length).toBeGreaterThan(1);
    return { partner: picked[0]!.partner, customers: picked.map((row) => row.customer) };
  }

  async function refuseLicensees(url: string, customers: number[]): Promise<void> {
    await queryRows(
      url,
      `ALTER TABLE marketplace.licensees ADD CONSTRAINT refuses_some_customers
         CHECK (legacy_customer_id NOT IN (${customers.join(', ')}))`,
    );
  }

  /** What the target holds of the refused customers, and of the partner's other ones. */
  async function refusedCustomersRows(url: string, partner: number, customers: number[]) {
    const [live] = await queryRows<{
      licensees: number;
      orders: number;
      linked: number;
      agreements: number;
      others: number;
    }>(
      url,
      `SELECT (SELECT count(*)::int FROM marketplace.licensees WHERE legacy_customer_id = ANY($2::int[])) AS licensees,
              (SELECT count(*)::int FROM archive.orders WHERE legacy_customer_id = ANY($2::int[])) AS orders,
              (SELECT count(*)::int FROM archive.orders
                WHERE legacy_customer_id = ANY($2::int[]) AND licensee_id IS NOT NULL) AS linked,
              (SELECT count(*)::int FROM marketplace.agreements g JOIN marketplace.licensees l ON l.id = g.licensee_id
                WHERE l.legacy_customer_id = ANY($2::int[])) AS agreements,
              (SELECT count(*)::int FROM marketplace.licensees l JOIN marketplace.accounts a ON a.id = l.account_id
                WHERE a.legacy_partner_id = $1) AS others`,
      [partner, customers],
    );
    return live!;
  }

  afterAll(async () => {
    await Promise.all([legacy?.drop(), ...targets.map((target) => target.drop()), ...prefixes.map(dropQueues)]);
  });

  it('loads most partners in batches, each partner with its own checkpoint and results', async () => {
    const target = targets[0];
    const [whole] = await queryRows<{ n: number }>(
      target.url,
      `SELECT count(*)::int AS n FROM migration.checkpoints WHERE job_key = 'whole' AND done`,
    );
    expect(whole.n).toBeGreaterThanOrEqual(40);
    // Every partner was checked: one set of results per partner, none missing.
    const checked = await queryRows<{ id: number }>(
      target.url,
      'SELECT DISTINCT legacy_partner_id AS id FROM migration.reconciliations ORDER BY 1',
    );
    expect(checked.map((row) => row.id)).toEqual(partners);
  });

  it('records the checks `ppm verify` records afresh: the ones of its jobs, from what they read, are the same', async () => {
    // The wave's checks take the rows its jobs read (a batch's legacy rows, a big partner's
    // archived history) rather than reading them again; `ppm verify` reads everything.
    expect((await runPpm(['verify', 'w'], referenceEnv)).code).toBe(0);
    const results = await queryRows<{ kind: string; checks: string[] }>(
      targets[0]!.url,
      `SELECT r.kind, array_agg(concat_ws(' | ', c."check", c.entity, c.legacy_partner_id, c.expected, c.actual, c.passed, c.detail)
                       ) AS checks
         FROM migration.runs r JOIN migration.reconciliations c ON c.run_id = r.id
        GROUP BY r.id, r.kind ORDER BY r.id`,
    );
    expect(results.map((run) => run.kind)).toEqual(['wave', 'verify']);
    expect(results[0]!.checks.length).toBeGreaterThan(partners.length * 10);
    const sorted = (checks: string[]) => [...checks].sort();
    expect(sorted(results[0]!.checks)).toEqual(sorted(results[1]!.checks));
  });

  it('resumes a wave killed with SIGKILL while batches are written, and ends with the same rows and ids', async () => {
    const { target, env } = await newTarget('batches_kill');
    const { child, done } = startPpm(['wave', 'run', 'w', '--no-cutover'], env);
    const total = partners.length;
    let written = 0;
    for (let i = 0; i < 1200 && written < Math.max(2, total * 0.2); i += 1) {
      await sleep(25);
      const [row] = await queryRows<{ n: number }>(
        target.url,
        `SELECT count(*)::int AS n FROM migration.checkpoints WHERE done`,
      ).catch(() => [{ n: 0 }]);
      written = row.n;
    }
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const [atKill] = await queryRows<{ n: number }>(
      target.url,
      `SELECT count(*)::int AS n FROM migration.checkpoints WHERE job_key = 'whole' AND done`,
    );
    expect(atKill.n).toBeLessThan(total);

    await sleep(2000); // the killed run's lease expires (WAVE_LEASE_MS)
    const resumed = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect(resumed.stderr).toMatch(/resuming run/);
    expect(resumed.code).toBe(0);
    expect(await targetFingerprint(target.url)).toEqual(reference);
    const notVerified = await queryRows<{ id: number }>(
      target.url,
      `SELECT legacy_partner_id AS id FROM migration.wave_partners WHERE state <> 'verified'`,
    );
    expect(notVerified).toEqual([]);
  });

  it('shares the batches between two `ppm worker` processes with the single-process result', async () => {
    const { target, env } = await newTarget('batches_workers', { LOG_LEVEL: 'debug' });
    const workers = [startPpm(['worker'], env), startPpm(['worker'], env)];
    try {
      const run = await runPpm(['wave', 'run', 'w', '--no-local-worker', '--no-cutover'], env);
      expect(run.code).toBe(0);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
    }
    const results = await Promise.all(workers.map((worker) => worker.done));
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/batch loaded/);
    }
    expect(await targetFingerprint(target.url)).toEqual(reference);
  });

  it('quarantines the row the target refuses; its partner and the rest of its batch are verified, and a rerun touches nothing', async () => {
    // Two small partners of the first batch whose codes are equal once trimmed: the target's
    // accounts refuse the second (batches are packed in key order, the earlier row keeps it).
    const small = await queryRows<{ id: number }>(
      targets[0].url,
      `SELECT c.legacy_partner_id AS id FROM migration.checkpoints c
         JOIN marketplace.accounts a ON a.legacy_partner_id = c.legacy_partner_id
        WHERE c.job_key = 'whole' ORDER BY 1 LIMIT 2`,
    );
    const [first, second] = small.map((row) => row.id);
    const db = await mysql.createConnection(legacy.url);
    let original: string;
    try {
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        'SELECT PartnerId, PartnerCode FROM Partners WHERE PartnerId IN (?, ?) ORDER BY PartnerId',
        [first, second],
      );
      original = rows[1].PartnerCode as string;
      await db.query('UPDATE Partners SET PartnerCode = ? WHERE PartnerId = ?', [
        ` ${rows[0].PartnerCode as string} `,
        second,
      ]);
    } finally {
      await db.end();
    }
    try {
      const { target, env } = await newTarget('batches_refused');
      const run = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
      expect(run.code).toBe(0);
      const states = await queryRows<{ id: number; state: string }>(
        target.url,
        'SELECT legacy_partner_id AS id, state FROM migration.wave_partners ORDER BY 1',
      );
      expect(states.filter((row) => row.state !== 'verified')).toEqual([]);
      expect(states.map((row) => row.id)).toEqual(partners);
      const quarantined = await queryRows<{ entity: string; key: string; reason: string; detail: string }>(
        target.url,
        `SELECT entity, legacy_key AS key, reason, detail FROM migration.quarantine
          WHERE legacy_partner_id = $1 AND resolved_at IS NULL ORDER BY entity, legacy_key::int`,
        [second],
      );
      const partnerRow = quarantined.filter((row) => row.entity === 'partner');
      expect(partnerRow).toEqual([
        {
          entity: 'partner',
          key: String(second),
          reason: 'target_refused',
          detail: expect.stringMatching(/^marketplace\.accounts refused the row: .*external_id/),
        },
      ]);
      // Its users and customers follow their partner, as any quarantined partner's do.
      const others = quarantined.filter((row) => row.entity !== 'partner');
      expect(others.length).toBeGreaterThan(0);
      expect(new Set(others.map((row) => row.reason))).toEqual(new Set(['partner_quarantined']));
      const [live] = await queryRows<{ accounts: number; licensees: number; orders: number; linked: number }>(
        target.url,
        `SELECT (SELECT count(*)::int FROM marketplace.accounts WHERE legacy_partner_id = $1) AS accounts,
                (SELECT count(*)::int FROM marketplace.licensees l JOIN marketplace.accounts a ON a.id = l.account_id
                  WHERE a.legacy_partner_id = $1) AS licensees,
                (SELECT count(*)::int FROM archive.orders WHERE legacy_partner_id = $1) AS orders,
                (SELECT count(*)::int FROM archive.orders WHERE legacy_partner_id = $1 AND account_id IS NOT NULL) AS linked`,
        [second],
      );
      expect(live).toMatchObject({ accounts: 0, licensees: 0, linked: 0 });
      // The partner that keeps the code is loaded as before.
      const [kept] = await queryRows<{ n: number }>(
        target.url,
        'SELECT count(*)::int AS n FROM marketplace.accounts WHERE legacy_partner_id = $1',
        [first],
      );
      expect(kept.n).toBe(1);

      // A rerun refuses the same row again and changes nothing.
      const xmins = () =>
        queryRows<{ x: string }>(
          target.url,
          `SELECT md5(string_agg(t, ',' ORDER BY t)) AS x FROM (
             SELECT 'a' || id || xmin::text AS t FROM marketplace.accounts UNION ALL
             SELECT 'u' || id || xmin::text FROM marketplace.account_users UNION ALL
             SELECT 'l' || id || xmin::text FROM marketplace.licensees UNION ALL
             SELECT 'o' || legacy_order_id || xmin::text FROM archive.orders UNION ALL
             SELECT 'q' || id || coalesce(resolved_at::text, '') || reason FROM migration.quarantine) rows`,
        );
      // Findings are every run's own: the rest of the target is the same.
      const withoutFindings = async () => ({ ...(await targetFingerprint(target.url)), findings: null });
      const before = await xmins();
      const fingerprint = await withoutFindings();
      const again = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
      expect(again.code).toBe(0);
      expect(await xmins()).toEqual(before);
      expect(await withoutFindings()).toEqual(fingerprint);
      const verify = await runPpm(['verify', 'w'], env);
      expect(verify.code).toBe(0);
    } finally {
      const restore = await mysql.createConnection(legacy.url);
      await restore.query('UPDATE Partners SET PartnerCode = ? WHERE PartnerId = ?', [original!, second]);
      await restore.end();
    }
  });

  it("quarantines the rows the target refuses in a big partner's core; the partner goes on and is verified, a rerun touches nothing", async () => {
    // Customers with archived orders of the partner loaded in partitions with the most orders:
    // the target's licensees refuse theirs (a check constraint of this target only).
    const { partner, customers } = await refusedCustomers();
    const { target, env } = await newTarget('batches_core_refused', { WORKER_CONCURRENCY: '2' });
    await refuseLicensees(target.url, customers);
    const run = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect({ code: run.code, out: run.code === 0 ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({ code: 0, out: '' });
    const states = await queryRows<{ id: number; state: string }>(
      target.url,
      'SELECT legacy_partner_id AS id, state FROM migration.wave_partners ORDER BY 1',
    );
    expect(states.filter((row) => row.state !== 'verified')).toEqual([]);
    const quarantined = await queryRows<{ entity: string; key: string; reason: string; detail: string }>(
      target.url,
      `SELECT entity, legacy_key AS key, reason, detail FROM migration.quarantine
        WHERE legacy_partner_id = $1 AND resolved_at IS NULL AND reason = 'target_refused'
        ORDER BY legacy_key::int`,
      [partner],
    );
    expect(quarantined).toEqual(
      customers.map((customer) => ({
        entity: 'customer',
        key: String(customer),
        reason: 'target_refused',
        detail: expect.stringMatching(/^marketplace\.licensees refused the row: .*refuses_some_customers/),
      })),
    );
    // Their orders keep no licensee and they have no agreement; the partner's other customers
    // are loaded as before.
    const live = await refusedCustomersRows(target.url, partner, customers);
    expect(live).toMatchObject({ licensees: 0, linked: 0, agreements: 0 });
    expect(live.orders).toBeGreaterThan(0);
    expect(live.others).toBeGreaterThan(0);

    // A rerun refuses the same rows again and changes no row.
    const xmins = () =>
      queryRows<{ x: string }>(
        target.url,
        `SELECT md5(string_agg(t, ',' ORDER BY t)) AS x FROM (
           SELECT 'l' || id || xmin::text AS t FROM marketplace.licensees UNION ALL
           SELECT 'g' || id || xmin::text FROM marketplace.agreements UNION ALL
           SELECT 's' || id || xmin::text FROM marketplace.subscriptions UNION ALL
           SELECT 'o' || legacy_order_id || xmin::text FROM archive.orders UNION ALL
           SELECT 'i' || legacy_invoice_id || xmin::text FROM archive.invoices UNION ALL
           SELECT 'q' || id || coalesce(resolved_at::text, '') || reason FROM migration.quarantine) rows`,
      );
    const before = await xmins();
    const again = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect(again.code).toBe(0);
    expect(await xmins()).toEqual(before);
    expect((await runPpm(['verify', 'w'], env)).code).toBe(0);
  });

  it("writes a big partner's archive again when a partition was written before its core was refused a row", async () => {
    // The jobs of one big partner run here in an order several workers may run them in: its
    // orders and invoices first, then its core (refused rows), then its partner job.
    const { partner, customers } = await refusedCustomers();
    const { target, env } = await newTarget('batches_core_late');
    await refuseLicensees(target.url, customers);
    const services = await openServices(loadConfig(env), createLogger({ level: 'silent' }));
    try {
      const wave = (await findWave(services.target, 'w'))!;
      const watermark = await services.source.watermark();
      const run = await createRun(services.target, { kind: 'wave', waveId: wave.id, watermark });
      const common = { runId: run.id, waveId: wave.id, waveName: 'w', watermark, partnerId: partner };
      for (const kind of ['orders', 'invoices'] as const)
        await loadPartition(services, { ...common, kind, partition: { index: 0 } }, async () => undefined);
      expect((await refusedCustomersRows(target.url, partner, customers)).linked).toBeGreaterThan(0);
      await loadPartition(services, { ...common, kind: 'core', partition: { index: 0 } }, async () => undefined);
      await processPartnerJob(services, { ...common, verify: true });
    } finally {
      await services.close();
    }
    expect(await refusedCustomersRows(target.url, partner, customers)).toMatchObject({
      licensees: 0,
      linked: 0,
      agreements: 0,
    });
    const [state] = await queryRows<{ state: string }>(
      target.url,
      'SELECT state FROM migration.wave_partners WHERE legacy_partner_id = $1',
      [partner],
    );
    expect(state).toEqual({ state: 'verified' });
  });
});
