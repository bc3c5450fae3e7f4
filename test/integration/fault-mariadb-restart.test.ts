import { runPpm, startPpm } from '../helpers/cli';
import { dropQueues, freshPostgres, freshQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/databases';
import { targetFingerprint } from '../helpers/fingerprint';
import { OwnMariaDb } from '../helpers/own-mariadb';
import { countRows, deadline, sleep } from '../helpers/pg';

/**
 * The legacy MariaDB stopped for several seconds in the middle of a wave and started again (a
 * server of the test's own, stopped and started by process id): reads in flight fail as the
 * source unavailable, the jobs are retried with backoff, and the wave ends with the target of an
 * undisturbed run.
 */
describe('the legacy MariaDB restarted mid-wave', () => {
  let server: OwnMariaDb;
  const targets: TestDatabase[] = [];
  const prefixes = [freshQueuePrefix('maria_fault_ref'), freshQueuePrefix('maria_fault')];

  beforeAll(async () => {
    server = await OwnMariaDb.start();
    const seeded = await runPpm(['legacy', 'seed', '--partners', '30', '--rows', '20000', '--seed', '6'], {
      LEGACY_DATABASE_URL: server.url('portal'),
    });
    expect(seeded.code).toBe(0);
    targets.push(await freshPostgres('maria_fault_ref'), await freshPostgres('maria_fault'));
  });

  afterAll(async () => {
    await server?.destroy();
    await Promise.all([...targets.map((t) => t.drop()), ...prefixes.map(dropQueues)]);
  });

  it('ends with the target of an undisturbed run', async () => {
    const envFor = (target: TestDatabase, prefix: string) => ({
      LEGACY_DATABASE_URL: server.url('portal'),
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PARTITION_SIZE: '800',
      BATCH_PARTNERS: '4',
      BATCH_SIZE: '100',
      WORKER_CONCURRENCY: '1',
      JOB_LOCK_MS: '5000',
      WAVE_LEASE_MS: '3000',
    });
    const [reference, target] = targets as [TestDatabase, TestDatabase];
    const refEnv = envFor(reference, prefixes[0]!);
    for (const args of [
      ['db', 'migrate'],
      ['wave', 'plan', 'w1', '--all'],
      ['wave', 'run', 'w1', '--no-cutover'],
    ])
      expect((await runPpm(args, refEnv)).code).toBe(0);
    const expected = await targetFingerprint(reference.url);
    const total = await countRows(reference.url, 'SELECT count(*)::int AS n FROM migration.checkpoints WHERE done');

    const env = envFor(target, prefixes[1]!);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    const run = startPpm(['wave', 'run', 'w1', '--no-cutover'], env);
    let done = 0;
    for (let i = 0; i < 1200 && done < total * 0.3; i++) {
      await sleep(25);
      done = await countRows(target.url, 'SELECT count(*)::int AS n FROM migration.checkpoints WHERE done');
    }
    expect(done).toBeGreaterThan(0);
    await server.stop();
    await sleep(5000);
    await server.start();
    const finished = await Promise.race([run.done, deadline(150_000).then(() => undefined)]);
    if (!finished) run.child.kill('SIGKILL');
    expect({
      code: finished?.code,
      out: finished?.code === 0 ? '' : `${finished?.stdout}\n${finished?.stderr}`,
    }).toEqual({ code: 0, out: '' });
    expect(await targetFingerprint(target.url)).toEqual(expected);
    expect(
      await countRows(target.url, `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'verified'`),
    ).toBe(0);
  });
});
