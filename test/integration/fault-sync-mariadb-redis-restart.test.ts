import mysql from 'mysql2/promise';
import { runPpm, startPpm, type CliResult } from '../helpers/cli';
import { dropQueues, freshPostgres, freshQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/databases';
import { targetFingerprint } from '../helpers/fingerprint';
import { OwnMariaDb } from '../helpers/own-mariadb';
import { OwnRedis } from '../helpers/own-redis';
import { countRows, deadline, queryRows, sleep } from '../helpers/pg';

/**
 * The legacy MariaDB, then Redis, restarted in the middle of a nightly sync (servers of the
 * test's own, stopped and started by process id). MariaDB down for a dozen seconds mid-`ppm sync
 * run`: the sync waits for it, saying so, and finishes by itself. Redis (no persistence) killed
 * and started again while `ppm worker` runs a scheduled sync: the sync finishes all the same and
 * the worker takes the next schedule. Each time the target is the one an undisturbed sync of the
 * same legacy changes gives, and `ppm verify` passes.
 */
describe('MariaDB and Redis restarted mid-sync', () => {
  let legacy: OwnMariaDb;
  let redis: OwnRedis;
  const targets: TestDatabase[] = [];
  const prefixes = [freshQueuePrefix('maria_sync_ref'), freshQueuePrefix('maria_sync')];

  beforeAll(async () => {
    [legacy, redis] = await Promise.all([OwnMariaDb.start(), OwnRedis.start()]);
    const seeded = await runPpm(['legacy', 'seed', '--partners', '30', '--rows', '12000', '--seed', '9'], {
      LEGACY_DATABASE_URL: legacy.url('portal'),
    });
    expect(seeded.code).toBe(0);
    targets.push(await freshPostgres('maria_sync_ref'), await freshPostgres('maria_sync'));
  });

  afterAll(async () => {
    await Promise.all([legacy?.destroy(), redis?.kill()]);
    await Promise.all([...targets.map((t) => t.drop()), dropQueues(prefixes[0]!)]);
  });

  async function changeLegacy(statements: string[]): Promise<void> {
    const connection = await mysql.createConnection(legacy.url('portal'));
    try {
      for (const statement of statements) await connection.query(statement);
    } finally {
      await connection.end();
    }
  }

  const runningSync = `SELECT max(id) FROM migration.runs WHERE kind = 'sync' AND wave_id IS NULL AND status = 'running'`;

  /** Waits until a sync has committed a group of partners; its run id. */
  async function midSync(url: string): Promise<string> {
    for (let i = 0; i < 3000; i++) {
      const [row] = await queryRows<{ run: string | null }>(
        url,
        `SELECT (${runningSync})::text AS run
          WHERE EXISTS (SELECT 1 FROM migration.checkpoints WHERE run_id = (${runningSync}))`,
      );
      if (row?.run) return row.run;
      await sleep(10);
    }
    throw new Error('no sync committed a group of partners');
  }

  async function finished(run: ReturnType<typeof startPpm>, ms: number): Promise<CliResult | undefined> {
    const result = await Promise.race([run.done, deadline(ms).then(() => undefined)]);
    if (!result) run.child.kill('SIGKILL');
    return result;
  }

  it('ends each sync with the target of an undisturbed one', async () => {
    const envFor = (target: TestDatabase, prefix: string, redisUrl: string) => ({
      LEGACY_DATABASE_URL: legacy.url('portal'),
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      BATCH_PARTNERS: '1',
      WAVE_LEASE_MS: '3000',
      JOB_LOCK_MS: '5000',
    });
    const [reference, target] = targets as [TestDatabase, TestDatabase];
    const refEnv = envFor(reference, prefixes[0]!, TEST_REDIS_URL);
    const env = envFor(target, prefixes[1]!, redis.url);
    for (const each of [refEnv, env])
      for (const args of [
        ['db', 'migrate'],
        ['wave', 'plan', 'w1', '--all'],
        ['wave', 'run', 'w1', '--no-cutover'],
      ])
        expect((await runPpm(args, each)).code).toBe(0);

    // MariaDB down a dozen seconds in the middle of `ppm sync run`.
    await changeLegacy([
      "UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (moved)')",
      "UPDATE Invoices SET Status = 'Paid' WHERE Status = 'Open'",
    ]);
    const undisturbed = await runPpm(['sync', 'run'], refEnv);
    expect(undisturbed.code).toBe(0);
    const sync = startPpm(['sync', 'run'], env);
    await midSync(target.url);
    await legacy.stop();
    await sleep(12_000);
    await legacy.start();
    const rode = await finished(sync, 120_000);
    expect({ code: rode?.code, out: rode?.code === 0 ? '' : `${rode?.stdout}\n${rode?.stderr}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(rode?.stderr).toMatch(
      /waiting for the legacy database \(mariadb 127\.0\.0\.1:\d+\/portal\) to answer again/,
    );
    const verdict = (stdout = '') => /wave "w1": \w+ — \d+ of \d+ partners verified/.exec(stdout)?.[0];
    expect(verdict(rode?.stdout)).toBe(verdict(undisturbed.stdout));
    expect(verdict(undisturbed.stdout)).toMatch(/PASS/);
    expect(await targetFingerprint(target.url)).toEqual(await targetFingerprint(reference.url));
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(0);

    // Redis killed (it keeps nothing) while `ppm worker` runs a scheduled sync.
    await changeLegacy([
      "UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (again)') WHERE CustomerId % 2 = 0",
      "UPDATE Invoices SET Status = 'Overdue' WHERE Status = 'Paid' AND InvoiceId % 3 = 0",
    ]);
    expect((await runPpm(['sync', 'run'], refEnv)).code).toBe(0);
    const worker = startPpm(['worker'], env);
    try {
      expect((await runPpm(['sync', 'schedule', '--cron', '* * * * * *'], env)).code).toBe(0);
      const run = await midSync(target.url);
      await redis.restart();
      let status = 'running';
      for (let i = 0; i < 1200 && status === 'running'; i++) {
        await sleep(50);
        [{ status } = { status: 'gone' }] = await queryRows<{ status: string }>(
          target.url,
          'SELECT status FROM migration.runs WHERE id = $1',
          [run],
        );
      }
      expect(status).toBe('succeeded');
      // The schedule went with Redis; the worker registers it again from the marketplace
      // database as soon as it is back, and runs the next sync with no new `ppm sync schedule`.
      const before = await countRows(target.url, `SELECT count(*)::int AS n FROM migration.runs WHERE kind = 'sync'`);
      let after = before;
      for (let i = 0; i < 1200 && after === before; i++) {
        await sleep(50);
        after = await countRows(
          target.url,
          `SELECT count(*)::int AS n FROM migration.runs WHERE kind = 'sync' AND status = 'succeeded' AND id > ${run}`,
        );
      }
      expect(after).toBeGreaterThan(0);
      expect((await runPpm(['sync', 'unschedule'], env)).code).toBe(0);
    } finally {
      worker.child.kill('SIGTERM');
    }
    const stopped = await finished(worker, 60_000);
    expect(stopped?.code).toBe(0);
    expect(await targetFingerprint(target.url)).toEqual(await targetFingerprint(reference.url));
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(0);
    expect(await countRows(target.url, `SELECT count(*)::int AS n FROM migration.runs WHERE status = 'running'`)).toBe(
      0,
    );
  }, 300_000);
});
