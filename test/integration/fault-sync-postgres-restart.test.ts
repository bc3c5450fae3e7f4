import mysql from 'mysql2/promise';
import { runPpm, startPpm, type CliResult } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { targetFingerprint } from '../helpers/fingerprint';
import { OwnPostgres } from '../helpers/own-postgres';
import { countRows, deadline, sleep } from '../helpers/pg';

/**
 * The marketplace PostgreSQL stopped in the middle of a nightly sync (a server of the test's own,
 * stopped and started by process id). Down for a dozen seconds, the sync waits for it, saying
 * so, and ends with the target an undisturbed sync of the same legacy changes gives; down longer
 * than OUTAGE_WAIT, it stops naming the database, and run again it ends with that target.
 */
describe('PostgreSQL restarted mid-sync', () => {
  let legacy: TestDatabase;
  let reference: TestDatabase;
  let server: OwnPostgres;
  const prefixes = [freshQueuePrefix('pg_sync_ref'), freshQueuePrefix('pg_sync')];

  beforeAll(async () => {
    [legacy, reference] = await Promise.all([freshMariaDb('pg_sync'), freshPostgres('pg_sync_ref')]);
    const seeded = await runPpm(['legacy', 'seed', '--partners', '30', '--rows', '12000', '--seed', '6'], {
      LEGACY_DATABASE_URL: legacy.url,
    });
    expect(seeded.code).toBe(0);
    server = await OwnPostgres.start();
  });

  afterAll(async () => {
    await server?.destroy();
    await Promise.all([legacy?.drop(), reference?.drop(), ...prefixes.map(dropQueues)]);
  });

  const envFor = (url: string, prefix: string) => ({
    LEGACY_DATABASE_URL: legacy.url,
    MARKETPLACE_DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    BATCH_PARTNERS: '1',
    WAVE_LEASE_MS: '3000',
  });

  async function changeLegacy(statements: string[]): Promise<void> {
    const connection = await mysql.createConnection(legacy.url);
    try {
      for (const statement of statements) await connection.query(statement);
    } finally {
      await connection.end();
    }
  }

  /** Starts `ppm sync run` and stops the server once the sync has committed a group of partners. */
  async function syncUntilStopped(env: Record<string, string>): Promise<ReturnType<typeof startPpm>> {
    const url = env.MARKETPLACE_DATABASE_URL!;
    const sync = startPpm(['sync', 'run'], env);
    let synced = 0;
    for (let i = 0; i < 2400 && synced === 0; i++) {
      await sleep(10);
      synced = await countRows(
        url,
        `SELECT count(*)::int AS n FROM migration.checkpoints WHERE run_id =
           (SELECT max(id) FROM migration.runs WHERE kind = 'sync' AND wave_id IS NULL AND status = 'running')`,
      ).catch(() => 0);
    }
    expect(synced).toBeGreaterThan(0);
    await server.stop();
    return sync;
  }

  async function finished(sync: ReturnType<typeof startPpm>, ms: number): Promise<CliResult | undefined> {
    const result = await Promise.race([sync.done, deadline(ms).then(() => undefined)]);
    if (!result) sync.child.kill('SIGKILL');
    return result;
  }

  it('rides out a short outage, and past OUTAGE_WAIT stops naming the database; each ends as an undisturbed sync', async () => {
    const refEnv = envFor(reference.url, prefixes[0]!);
    const url = server.url('ppm_sync_fault');
    const env = envFor(url, prefixes[1]!);
    for (const target of [refEnv, env])
      for (const args of [
        ['db', 'migrate'],
        ['wave', 'plan', 'w1', '--all'],
        ['wave', 'run', 'w1', '--no-cutover'],
      ])
        expect((await runPpm(args, target)).code).toBe(0);

    // A dozen seconds down: the sync waits, says for what, and finishes by itself.
    await changeLegacy([
      "UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (moved)')",
      "UPDATE Invoices SET Status = 'Paid' WHERE Status = 'Open'",
    ]);
    const undisturbed = await runPpm(['sync', 'run'], refEnv);
    expect(undisturbed.code).toBe(0);
    const expected = await targetFingerprint(reference.url);
    const sync = await syncUntilStopped(env);
    await sleep(12_000);
    await server.start();
    const rode = await finished(sync, 120_000);
    expect({ code: rode?.code, out: rode?.code === 0 ? '' : `${rode?.stdout}\n${rode?.stderr}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(rode?.stderr).toMatch(
      /waiting for the marketplace database 127\.0\.0\.1:\d+\/ppm_sync_fault to answer again/,
    );
    // Every partner the sync changed is verified again, those of the interrupted attempt too.
    const verdict = (stdout = '') => /wave "w1": \w+ — \d+ of \d+ partners verified/.exec(stdout)?.[0];
    expect(verdict(rode?.stdout)).toBe(verdict(undisturbed.stdout));
    expect(verdict(undisturbed.stdout)).toMatch(/PASS/);
    expect(await targetFingerprint(url)).toEqual(expected);
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(0);

    // Longer than OUTAGE_WAIT: exit 1 naming the database; the next sync ends with the target.
    await changeLegacy([
      "UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (again)') WHERE CustomerId % 2 = 0",
      "UPDATE Invoices SET Status = 'Overdue' WHERE Status = 'Paid' AND InvoiceId % 3 = 0",
    ]);
    expect((await runPpm(['sync', 'run'], refEnv)).code).toBe(0);
    const expectedAgain = await targetFingerprint(reference.url);
    const stopped = await finished(await syncUntilStopped({ ...env, OUTAGE_WAIT: '2s' }), 60_000);
    await server.start();
    expect(stopped?.code).toBe(1);
    expect(stopped?.stderr).toMatch(
      /the marketplace database 127\.0\.0\.1:\d+\/ppm_sync_fault went away during the sync and did not answer again within OUTAGE_WAIT \(2 s\)/,
    );
    const again = await runPpm(['sync', 'run'], env);
    expect(again.code).toBe(0);
    expect(await targetFingerprint(url)).toEqual(expectedAgain);
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(0);
    expect(await countRows(url, `SELECT count(*)::int AS n FROM migration.runs WHERE status = 'running'`)).toBe(0);
  }, 300_000);
});
