import { countRows, deadline, sleep } from '../helpers/pg';
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
import { OwnRedis } from '../helpers/own-redis';

/**
 * Redis restarted without persistence in the middle of a wave (the test's own Redis, killed and
 * started again by process id): the running `wave run` adds the lost jobs again and finishes,
 * with the same target as an undisturbed run and one sealed report.
 */
describe('Redis restarted mid-wave', () => {
  let legacy: TestDatabase;
  const targets: TestDatabase[] = [];
  let redis: OwnRedis;
  const prefix = freshQueuePrefix('redis_fault');

  beforeAll(async () => {
    legacy = await freshMariaDb('redis_fault');
    expect(
      (
        await runPpm(['legacy', 'seed', '--partners', '40', '--rows', '20000', '--seed', '9'], {
          LEGACY_DATABASE_URL: legacy.url,
        })
      ).code,
    ).toBe(0);
    redis = await OwnRedis.start();
  });

  afterAll(async () => {
    await redis?.kill();
    await Promise.all([legacy?.drop(), ...targets.map((t) => t.drop()), dropQueues(prefix)]);
  });

  it('finishes the wave with the target of an undisturbed run', async () => {
    const envFor = async (tag: string, redisUrl: string) => {
      const target = await freshPostgres(tag);
      targets.push(target);
      const env = {
        LEGACY_DATABASE_URL: legacy.url,
        MARKETPLACE_DATABASE_URL: target.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        PARTITION_SIZE: '800',
        BATCH_PARTNERS: '4',
        BATCH_SIZE: '100',
        WORKER_CONCURRENCY: '1',
        JOB_LOCK_MS: '3000',
        WAVE_LEASE_MS: '1500',
      };
      expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
      expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
      return { target, env };
    };
    const reference = await envFor('redis_fault_ref', TEST_REDIS_URL);
    expect((await runPpm(['wave', 'run', 'w1', '--no-cutover'], reference.env)).code).toBe(0);
    const expected = await targetFingerprint(reference.target.url);

    const { target, env } = await envFor('redis_fault_run', redis.url);
    const run = startPpm(['wave', 'run', 'w1', '--no-cutover'], { ...env, LOG_LEVEL: 'info' });
    const total = await countRows(
      reference.target.url,
      `SELECT count(*)::int AS n FROM migration.checkpoints WHERE done`,
    );
    let done = 0;
    for (let i = 0; i < 1200 && done < total * 0.3; i++) {
      await sleep(25);
      done = await countRows(target.url, `SELECT count(*)::int AS n FROM migration.checkpoints WHERE done`).catch(
        () => 0,
      );
    }
    expect(done).toBeGreaterThan(0);
    await redis.restart();
    const finished = await Promise.race([run.done, deadline(120_000).then(() => undefined)]);
    if (!finished) run.child.kill('SIGKILL');
    expect(finished?.stderr).toMatch(/the wave's jobs are gone from Redis; adding them again/);
    expect(finished?.code).toBe(0);
    expect(await targetFingerprint(target.url)).toEqual(expected);
    expect(await countRows(target.url, `SELECT count(*)::int AS n FROM migration.reports`)).toBe(1);
    expect(
      await countRows(target.url, `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'verified'`),
    ).toBe(0);
    // One set of results per partner, however often a partner was checked: as many as undisturbed.
    const results = `SELECT count(*)::int AS n FROM migration.reconciliations`;
    expect(await countRows(target.url, results)).toBe(await countRows(reference.target.url, results));
  });
});
