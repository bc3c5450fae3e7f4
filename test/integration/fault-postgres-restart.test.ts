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
 * The marketplace PostgreSQL stopped for several seconds in the middle of a 600-partner wave (as
 * issue 14 has an operator try it: a long tail of small partners in batches, a few big ones in
 * partitions) and started again (a server of the test's own, stopped and started by process id):
 * the jobs in flight are retried with backoff, and the wave ends with the target of an
 * undisturbed run.
 */
describe('PostgreSQL restarted mid-wave', () => {
  let legacy: TestDatabase;
  let reference: TestDatabase;
  let server: OwnPostgres;
  const prefixes = [freshQueuePrefix('pg_fault_ref'), freshQueuePrefix('pg_fault')];

  beforeAll(async () => {
    [legacy, reference] = await Promise.all([freshMariaDb('pg_fault'), freshPostgres('pg_fault_ref')]);
    const seeded = await runPpm(['legacy', 'seed', '--partners', '600', '--rows', '36000', '--seed', '4'], {
      LEGACY_DATABASE_URL: legacy.url,
    });
    expect(seeded.code).toBe(0);
    server = await OwnPostgres.start();
  });

  afterAll(async () => {
    await server?.destroy();
    await Promise.all([legacy?.drop(), reference?.drop(), ...prefixes.map(dropQueues)]);
  });

  it('ends with the target of an undisturbed run', async () => {
    const envFor = (url: string, prefix: string) => ({
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PARTITION_SIZE: '1000',
      BATCH_PARTNERS: '40',
      BATCH_SIZE: '500',
      JOB_LOCK_MS: '5000',
      WAVE_LEASE_MS: '3000',
    });
    const refEnv = envFor(reference.url, prefixes[0]!);
    for (const args of [
      ['db', 'migrate'],
      ['wave', 'plan', 'w1', '--all'],
      ['wave', 'run', 'w1', '--no-cutover'],
    ])
      expect((await runPpm(args, refEnv)).code).toBe(0);
    const expected = await targetFingerprint(reference.url);
    const total = await countRows(reference.url, 'SELECT count(*)::int AS n FROM migration.checkpoints WHERE done');

    const url = server.url('ppm_fault');
    const env = envFor(url, prefixes[1]!);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    const run = startPpm(['wave', 'run', 'w1', '--no-cutover'], env);
    let done = 0;
    for (let i = 0; i < 1200 && done < total * 0.3; i++) {
      await sleep(25);
      done = await countRows(url, 'SELECT count(*)::int AS n FROM migration.checkpoints WHERE done').catch(() => 0);
    }
    expect(done).toBeGreaterThan(0);
    await server.stop();
    await sleep(8000);
    await server.start();
    const finished = await Promise.race([run.done, deadline(150_000).then(() => undefined)]);
    if (!finished) run.child.kill('SIGKILL');
    expect(finished?.code).toBe(0);
    expect(await targetFingerprint(url)).toEqual(expected);
    expect(await countRows(url, 'SELECT count(*)::int AS n FROM migration.wave_partners')).toBe(600);
    expect(
      await countRows(url, `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'verified'`),
    ).toBe(0);
  });
});
