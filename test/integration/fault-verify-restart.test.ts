import { runPpm, startPpm, type CliResult } from '../helpers/cli';
import { dropQueues, freshQueuePrefix, TEST_REDIS_URL } from '../helpers/databases';
import { targetFingerprint, type TargetFingerprint } from '../helpers/fingerprint';
import { OwnMariaDb } from '../helpers/own-mariadb';
import { OwnPostgres } from '../helpers/own-postgres';
import { countRows, deadline, sleep } from '../helpers/pg';

/**
 * The marketplace PostgreSQL, then the legacy MariaDB, stopped for a dozen seconds in the middle
 * of `ppm verify` and started again (servers of the test's own, stopped and started by process
 * id): verify says which database it waits for, rides the outage out and ends with the result of
 * an undisturbed verify; the chain of sealed reports holds and the target is the one the wave
 * wrote. An outage longer than OUTAGE_WAIT stops it with exit 1 naming the database, and verify
 * run again passes.
 */
describe('a database restarted mid-verify', () => {
  let legacy: OwnMariaDb;
  let target: OwnPostgres;
  let env: Record<string, string>;
  let loaded: TargetFingerprint;
  let undisturbedSummary: string;
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
    const undisturbed = await runPpm(['verify', 'w1'], env);
    expect(undisturbed.code).toBe(0);
    undisturbedSummary = summaryOf(undisturbed.stdout);
    expect(undisturbedSummary).toMatch(/PASS — 30 of 30 partners verified/);
  });

  afterAll(async () => {
    await Promise.all([legacy?.destroy(), target?.destroy(), dropQueues(prefix)]);
  });

  /** A verify's verdict line without its run id and time. */
  const summaryOf = (stdout: string) =>
    (/^verify run .*$/m.exec(stdout)?.[0] ?? stdout)
      .replace(/verify run \d+/, 'verify run N')
      .replace(/, [\d.]+ s$/, '');

  /**
   * Starts `ppm verify w1` and stops `server` mid-run, starting it again after `outageMs`: the
   * marketplace once the run has recorded results, the legacy database once the run has begun
   * (its reads are over within a second: waiting for recorded results would miss them).
   */
  async function verifyThroughRestart(
    server: OwnMariaDb | OwnPostgres,
    outageMs: number,
    extra: Record<string, string> = {},
  ): Promise<CliResult> {
    const url = env.MARKETPLACE_DATABASE_URL!;
    const verify = startPpm(['verify', 'w1'], { ...env, ...extra });
    const running = `SELECT max(id) FROM migration.runs WHERE kind = 'verify' AND status = 'running'`;
    const midRun =
      server === legacy
        ? `SELECT count(*)::int AS n FROM (${running}) r(id) WHERE id IS NOT NULL`
        : `SELECT count(*)::int AS n FROM migration.reconciliations WHERE run_id = (${running})`;
    let seen = 0;
    for (let i = 0; i < 2000 && seen === 0; i++) {
      await sleep(10);
      seen = await countRows(url, midRun);
    }
    expect(seen).toBeGreaterThan(0);
    await server.stop();
    await sleep(outageMs);
    await server.start();
    const finished = await Promise.race([verify.done, deadline(90_000).then(() => undefined)]);
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

  it('PostgreSQL down for a dozen seconds: verify waits for it, saying so, and passes as an undisturbed one', async () => {
    const first = await verifyThroughRestart(target, 12_000);
    expect({ code: first.code, out: first.code === 0 ? '' : `${first.stdout}\n${first.stderr}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(first.stderr).toMatch(
      /waiting for the marketplace database 127\.0\.0\.1:\d+\/ppm_verify_fault to answer again/,
    );
    expect(summaryOf(first.stdout)).toBe(undisturbedSummary);
    await expectVerifyAgainPasses();
  });

  it('MariaDB down for a dozen seconds: verify waits for it, saying so, and passes as an undisturbed one', async () => {
    const first = await verifyThroughRestart(legacy, 12_000);
    expect({ code: first.code, out: first.code === 0 ? '' : `${first.stdout}\n${first.stderr}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(first.stderr).toMatch(
      /waiting for the legacy database \(mariadb 127\.0\.0\.1:\d+\/portal\) to answer again/,
    );
    expect(summaryOf(first.stdout)).toBe(undisturbedSummary);
    await expectVerifyAgainPasses();
  });

  it('PostgreSQL down longer than OUTAGE_WAIT: verify stops naming the marketplace database; verify again passes', async () => {
    const first = await verifyThroughRestart(target, 8000, { OUTAGE_WAIT: '2s' });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /the marketplace database 127\.0\.0\.1:\d+\/ppm_verify_fault went away during the verification and did not answer again within OUTAGE_WAIT \(2 s\)/,
    );
    await expectVerifyAgainPasses();
  });
});
