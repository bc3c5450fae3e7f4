import mysql from 'mysql2/promise';
import { runPpm, startPpm } from '../helpers/cli';
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
 * stopped and started by process id): the sync stops naming the database, and run again it ends
 * with the target an undisturbed sync of the same legacy changes gives.
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

  it('stops naming the database, and the next sync ends with the target of an undisturbed one', async () => {
    const envFor = (url: string, prefix: string) => ({
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      BATCH_PARTNERS: '1',
      WAVE_LEASE_MS: '3000',
    });
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

    const connection = await mysql.createConnection(legacy.url);
    try {
      await connection.query("UPDATE Customers SET City = CONCAT(COALESCE(City, ''), ' (moved)')");
      await connection.query("UPDATE Invoices SET Status = 'Paid' WHERE Status = 'Open'");
    } finally {
      await connection.end();
    }
    expect((await runPpm(['sync', 'run'], refEnv)).code).toBe(0);
    const expected = await targetFingerprint(reference.url);

    const sync = startPpm(['sync', 'run'], env);
    let synced = 0;
    for (let i = 0; i < 2400 && synced === 0; i++) {
      await sleep(10);
      synced = await countRows(
        url,
        'SELECT count(*)::int AS n FROM migration.wave_partners WHERE watermark IS NOT NULL',
      ).catch(() => 0);
    }
    expect(synced).toBeGreaterThan(0);
    await server.stop();
    const stopped = await Promise.race([sync.done, deadline(120_000).then(() => undefined)]);
    if (!stopped) sync.child.kill('SIGKILL');
    await server.start();
    expect(stopped?.code).toBe(1);
    expect(stopped?.stderr).toMatch(/marketplace database|127\.0\.0\.1:\d+\/ppm_sync_fault/);

    const again = await runPpm(['sync', 'run'], env);
    expect(again.code).toBe(0);
    expect(await targetFingerprint(url)).toEqual(expected);
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(0);
  }, 300_000);
});
