import { runPpm, startPpm, type CliResult } from '../helpers/cli';
import { dropQueues, freshQueuePrefix, TEST_REDIS_URL } from '../helpers/databases';
import { targetFingerprint, type TargetFingerprint } from '../helpers/fingerprint';
import { OwnMariaDb } from '../helpers/own-mariadb';
import { OwnPostgres } from '../helpers/own-postgres';
import { countRows, deadline, sleep } from '../helpers/pg';

/**
 * The marketplace PostgreSQL, then the legacy MariaDB, stopped for a few seconds in the middle
 * of `ppm verify` and started again (servers of the test's own, stopped and started by process
 * id): verify either rides the outage out or stops with exit 1 naming the database that went
 * away; run again it passes, the chain of sealed reports holds, and the target is the one the
 * wave wrote.
 */
describe('a database restarted mid-verify', () => {
  let legacy: OwnMariaDb;
  let target: OwnPostgres;
  let env: Record<string, string>;
  let loaded: TargetFingerprint;
  const prefix = freshQueuePrefix('verify_fault');

  beforeAll(async () => {
    [legacy, target] = await Promise.all([OwnMariaDb.start(), OwnPostgres.start()]);
    env = {
      LEGACY_DATABASE_URL: legacy.url('portal'),
      MARKETPLACE_DATABASE_URL: target.url('ppm_verify_fault'),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      BATCH_PARTNERS: '4',
    };
    for (const args of [
      ['legacy', 'seed', '--partners', '30', '--rows', '20000', '--seed', '8'],
      ['db', 'migrate'],
      ['wave', 'plan', 'w1', '--all'],
      ['wave', 'run', 'w1', '--no-verify', '--no-cutover'],
    ])
      expect({ args, code: (await runPpm(args, env)).code }).toEqual({ args, code: 0 });
    loaded = await targetFingerprint(env.MARKETPLACE_DATABASE_URL!);
  });

  afterAll(async () => {
    await Promise.all([legacy?.destroy(), target?.destroy(), dropQueues(prefix)]);
  });

  /** Starts `ppm verify w1`, stops `server` once the run has recorded results, starts it again after `outageMs`. */
  async function verifyThroughRestart(server: OwnMariaDb | OwnPostgres, outageMs: number): Promise<CliResult> {
    const url = env.MARKETPLACE_DATABASE_URL!;
    const verify = startPpm(['verify', 'w1'], env);
    let recorded = 0;
    for (let i = 0; i < 2000 && recorded === 0; i++) {
      await sleep(10);
      recorded = await countRows(
        url,
        `SELECT count(*)::int AS n FROM migration.reconciliations
          WHERE run_id = (SELECT max(id) FROM migration.runs WHERE kind = 'verify' AND status = 'running')`,
      );
    }
    expect(recorded).toBeGreaterThan(0);
    await server.stop();
    await sleep(outageMs);
    await server.start();
    const finished = await Promise.race([verify.done, deadline(60_000).then(() => undefined)]);
    if (!finished) verify.child.kill('SIGKILL');
    expect(finished).toBeDefined();
    return finished!;
  }

  async function expectVerifyAgainPasses(): Promise<void> {
    const again = await runPpm(['verify', 'w1'], env);
    expect({ code: again.code, out: again.code === 0 ? '' : `${again.stdout}\n${again.stderr}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(again.stdout).toMatch(/PASS — 30 of 30 partners verified/);
    const chain = await runPpm(['report', '--verify-chain'], env);
    expect({ code: chain.code, out: chain.stdout }).toEqual({ code: 0, out: expect.stringMatching(/chain intact/) });
    expect(await targetFingerprint(env.MARKETPLACE_DATABASE_URL!)).toEqual(loaded);
    expect(
      await countRows(
        env.MARKETPLACE_DATABASE_URL!,
        `SELECT count(*)::int AS n FROM migration.runs WHERE status = 'running'`,
      ),
    ).toBe(0);
  }

  it('PostgreSQL: rides it out or stops naming the marketplace database; verify again passes', async () => {
    const first = await verifyThroughRestart(target, 4000);
    if (first.code !== 0) {
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/marketplace database .*127\.0\.0\.1:\d+\/ppm_verify_fault/);
    }
    await expectVerifyAgainPasses();
  });

  it('MariaDB: rides it out or stops naming the legacy database; verify again passes', async () => {
    const first = await verifyThroughRestart(legacy, 4000);
    if (first.code !== 0) {
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/legacy database .*127\.0\.0\.1:\d+\/portal/);
    }
    await expectVerifyAgainPasses();
  });
});
