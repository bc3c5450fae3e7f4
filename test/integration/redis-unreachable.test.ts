import { runPpm } from '../helpers/cli';
import { freshMariaDb, freshPostgres, type TestDatabase } from '../helpers/databases';
import { assertRedisReachable } from '../../pipelines/jobs/redis';
import { QueueUnavailableError } from '../../src/core/errors';

/** With Redis unreachable, commands that need the queues stop at once, naming it, instead of waiting forever. */
describe('Redis unreachable', () => {
  let target: TestDatabase;
  let legacy: TestDatabase;
  let env: Record<string, string>;
  // Nothing listens on port 1 of the loopback: connections are refused at once.
  const REDIS_URL = 'redis://:s3cretpw@127.0.0.1:1';

  beforeAll(async () => {
    [target, legacy] = await Promise.all([freshPostgres('noredis'), freshMariaDb('noredis')]);
    env = { MARKETPLACE_DATABASE_URL: target.url, LEGACY_DATABASE_URL: legacy.url, REDIS_URL, QUEUE_PREFIX: 'noredis' };
    expect((await runPpm(['legacy', 'seed', '--partners', '2'], env)).code).toBe(0);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all([target?.drop(), legacy?.drop()]);
  });

  it('refuses within the timeout with a typed error naming the server, never the password', async () => {
    const started = Date.now();
    const error = await assertRedisReachable(REDIS_URL, 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\)/);
    expect((error as Error).message).not.toMatch(/s3cretpw/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([[['wave', 'run', 'w1']], [['worker']], [['notify', 'worker']], [['wave', 'announce', 'w1']]])(
    '`ppm %s` exits 1 at once, saying so',
    async (args) => {
      const result = await runPpm(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ppm: cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\)/);
      expect(result.stderr).not.toMatch(/Unhandled error event|s3cretpw/);
    },
  );
});
