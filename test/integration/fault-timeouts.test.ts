import { Client } from 'pg';
import { PpmError, SourceUnavailableError, TargetUnavailableError } from '../../src/core/errors';
import { createMariaDbPool } from '../../src/extract/mariadb/connect';
import { translateMariaDbError } from '../../src/extract/mariadb/translate-error';
import { connectTarget } from '../../src/load';
import { withStatementPurpose } from '../../src/load/connection/target-errors';
import { runPpm, startPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { countRows, deadline, sleep } from '../helpers/pg';

/**
 * Timeouts: every PostgreSQL session of the pipeline carries statement_timeout and lock_timeout,
 * every legacy session a query timeout, and `wave run` waits for its jobs a bounded time. A
 * statement held by a lock past the timeout fails naming what it was doing, its job is retried,
 * and the wave finishes once the lock is released.
 */
describe('timeouts', () => {
  let legacy: TestDatabase;
  let target: TestDatabase;
  let lateTarget: TestDatabase;
  const prefixes = [freshQueuePrefix('timeouts'), freshQueuePrefix('timeouts_wait')];

  beforeAll(async () => {
    [legacy, target, lateTarget] = await Promise.all([
      freshMariaDb('timeouts'),
      freshPostgres('timeouts'),
      freshPostgres('timeouts_wait'),
    ]);
    const seeded = await runPpm(['legacy', 'seed', '--partners', '8', '--rows', '3000', '--seed', '5'], {
      LEGACY_DATABASE_URL: legacy.url,
    });
    expect(seeded.code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), target?.drop(), lateTarget?.drop(), ...prefixes.map(dropQueues)]);
  });

  const envFor = (url: string, prefix: string, extra: Record<string, string> = {}) => ({
    LEGACY_DATABASE_URL: legacy.url,
    MARKETPLACE_DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    BATCH_PARTNERS: '4',
    WORKER_CONCURRENCY: '1',
    JOB_LOCK_MS: '5000',
    WAVE_LEASE_MS: '3000',
    ...extra,
  });

  it('sets statement_timeout and lock_timeout on every connection, and names the purpose of a statement that runs past one', async () => {
    const db = connectTarget(target.url, { statementTimeoutMs: 300, lockTimeoutMs: 200, poolMax: 1 });
    try {
      const { rows } = await db.raw<{ rows: Array<{ statement: string; lock: string }> }>(
        "SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock",
      );
      expect(rows[0]).toEqual({ statement: '300ms', lock: '200ms' });
      const error = await withStatementPurpose('waiting for the test', () =>
        db.raw('SELECT pg_sleep(2), ?::text AS secret', ['do-not-show-me']),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TargetUnavailableError);
      expect((error as PpmError).retryable).toBe(true);
      expect((error as Error).message).toBe(
        'waiting for the test: ran longer than the statement timeout (PG_STATEMENT_TIMEOUT_MS)',
      );
    } finally {
      await db.destroy();
    }
  });

  it('bounds every legacy statement, and a statement past the bound is a retryable error naming the timeout', async () => {
    const pool = createMariaDbPool(legacy.url, { queryTimeoutMs: 300, connectionLimit: 1 });
    try {
      const [rows] = await pool.query('SELECT @@max_statement_time AS bound');
      expect(Number((rows as Array<{ bound: string }>)[0]!.bound)).toBeCloseTo(0.3);
      const error = await pool.query('SELECT SLEEP(3) AS slept FROM Partners LIMIT 1').catch((caught) => caught);
      const translated = translateMariaDbError(error, 'read the partners', '127.0.0.1:3306/portal');
      expect(translated).toBeInstanceOf(SourceUnavailableError);
      expect(translated.message).toMatch(
        /failed to read the partners: .*ran longer than the query timeout \(LEGACY_QUERY_TIMEOUT_MS\)$/,
      );
    } finally {
      await pool.end();
    }
  });

  it('fails a load statement held by a lock past PG_LOCK_TIMEOUT_MS naming its purpose, and finishes the wave once the lock is released', async () => {
    const env = envFor(target.url, prefixes[0]!, { PG_LOCK_TIMEOUT_MS: '300' });
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    const holder = new Client({ connectionString: target.url });
    await holder.connect();
    let released = false;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE marketplace.accounts IN ACCESS EXCLUSIVE MODE');
      const run = startPpm(['wave', 'run', 'w1', '--no-cutover'], env);
      let stderr = '';
      run.child.stderr!.on('data', (chunk) => (stderr += chunk));
      const expected = 'upserting marketplace.accounts: waited longer than the lock timeout (PG_LOCK_TIMEOUT_MS)';
      for (let i = 0; i < 600 && !stderr.includes(expected); i++) await sleep(100);
      expect(stderr).toContain(expected);
      // Nothing loaded while the lock was held.
      await holder.query('COMMIT');
      released = true;
      const finished = await Promise.race([run.done, deadline(120_000).then(() => undefined)]);
      if (!finished) run.child.kill('SIGKILL');
      if (finished?.code !== 0) process.stderr.write(`${finished?.stdout}\n${finished?.stderr}\n`);
      expect(finished?.code).toBe(0);
    } finally {
      if (!released) await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    expect(
      await countRows(target.url, `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'verified'`),
    ).toBe(0);
    expect(await countRows(target.url, 'SELECT count(*)::int AS n FROM marketplace.accounts')).toBeGreaterThan(0);
  });

  it('stops `wave run` after WAVE_RUN_TIMEOUT with exit 1, and a second run finishes the wave', async () => {
    const env = envFor(lateTarget.url, prefixes[1]!);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    const started = Date.now();
    // No worker anywhere: the wave job never finishes.
    const waited = await runPpm(['wave', 'run', 'w1', '--no-cutover', '--no-local-worker'], {
      ...env,
      WAVE_RUN_TIMEOUT: '2s',
    });
    expect(waited.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(waited.stderr).toContain('did not finish within 2 s (WAVE_RUN_TIMEOUT)');
    const again = await runPpm(['wave', 'run', 'w1', '--no-cutover'], env);
    expect(again.code).toBe(0);
    expect(
      await countRows(
        lateTarget.url,
        `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'verified'`,
      ),
    ).toBe(0);
  });
});
