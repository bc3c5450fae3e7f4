import { countRows, sleep } from '../helpers/pg';
import { runPpm, startPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

/**
 * Two environments behind one Redis and one QUEUE_PREFIX: a worker never runs a job of the other
 * environment against its own databases; it leaves it for a worker of that environment.
 */
describe('two environments sharing a queue prefix', () => {
  let legacy: TestDatabase;
  let mine: TestDatabase;
  let theirs: TestDatabase;
  const prefix = freshQueuePrefix('shared');

  beforeAll(async () => {
    [legacy, mine, theirs] = await Promise.all([
      freshMariaDb('shared'),
      freshPostgres('shared_mine'),
      freshPostgres('shared_theirs'),
    ]);
    expect((await runPpm(['legacy', 'seed', '--partners', '4'], { LEGACY_DATABASE_URL: legacy.url })).code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), mine?.drop(), theirs?.drop(), dropQueues(prefix)]);
  });

  it("leaves the other environment's jobs to its own workers", async () => {
    const envOf = (target: TestDatabase) => ({
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
    for (const target of [mine, theirs]) {
      expect((await runPpm(['db', 'migrate'], envOf(target))).code).toBe(0);
      expect((await runPpm(['wave', 'plan', 'w1', '--all'], envOf(target))).code).toBe(0);
    }
    // Only their worker runs; the wave is ours.
    const theirWorker = startPpm(['worker'], envOf(theirs));
    const ours = startPpm(['wave', 'run', 'w1', '--no-local-worker', '--no-cutover'], envOf(mine));
    try {
      await sleep(6000);
      const loaded = await countRows(mine.url, 'SELECT count(*)::int AS n FROM marketplace.accounts');
      const wrongly = await countRows(theirs.url, 'SELECT count(*)::int AS n FROM migration.checkpoints');
      expect([loaded, wrongly]).toEqual([0, 0]);
    } finally {
      theirWorker.child.kill('SIGTERM');
    }
    const their = await theirWorker.done;
    expect(their.stderr).toMatch(/job of another marketplace database behind the same QUEUE_PREFIX left alone/);

    // Our own worker then takes them: the wave completes as usual.
    const ourWorker = startPpm(['worker'], envOf(mine));
    const run = await ours.done;
    ourWorker.child.kill('SIGTERM');
    await ourWorker.done;
    expect(run.code).toBe(0);
    expect(await countRows(mine.url, 'SELECT count(*)::int AS n FROM marketplace.accounts')).toBeGreaterThan(0);
    expect(await countRows(theirs.url, 'SELECT count(*)::int AS n FROM marketplace.accounts')).toBe(0);
  });
});
