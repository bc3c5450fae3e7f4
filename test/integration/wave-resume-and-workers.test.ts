import { Client } from 'pg';
import { sleep } from '../helpers/pg';
import { runPpm, startPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { targetFingerprint, type TargetFingerprint } from '../helpers/fingerprint';

/**
 * The same wave three ways against one legacy portal, each into its own target: uninterrupted in
 * one process; killed with SIGKILL in the middle of loading and started again; and shared by two
 * `ppm worker` processes. All three must end with exactly the same rows and ids.
 * Loading only (`--no-cutover`): the partners' portals and messages are the cutover tests' matter.
 */
describe('a wave killed mid-load, resumed, and shared by separate workers', () => {
  let legacy: TestDatabase;
  const targets: TestDatabase[] = [];
  const prefixes: string[] = [];
  const newPrefix = () => {
    const prefix = freshQueuePrefix('resume');
    prefixes.push(prefix);
    return prefix;
  };
  let reference: TargetFingerprint;

  const envFor = (target: TestDatabase, extra: Record<string, string> = {}) => ({
    LEGACY_DATABASE_URL: legacy.url,
    MARKETPLACE_DATABASE_URL: target.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: newPrefix(),
    BATCH_SIZE: '40',
    PARTITION_SIZE: '150',
    WORKER_CONCURRENCY: '1',
    JOB_LOCK_MS: '3000',
    WAVE_LEASE_MS: '1500',
    ...extra,
  });

  async function newTarget(env: Record<string, string>): Promise<void> {
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w', '--all'], env)).code).toBe(0);
  }

  async function loadedRows(url: string): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM archive.order_lines');
      return rows[0].n;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    legacy = await freshMariaDb('resume');
    const seeded = await runPpm(['legacy', 'seed', '--partners', '16', '--seed', '11'], {
      LEGACY_DATABASE_URL: legacy.url,
    });
    expect(seeded.code).toBe(0);
    const target = await freshPostgres('resume_ref');
    targets.push(target);
    const env = envFor(target);
    await newTarget(env);
    const run = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect(run.code).toBe(0);
    reference = await targetFingerprint(target.url);
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), ...targets.map((target) => target.drop()), ...prefixes.map(dropQueues)]);
  });

  it('resumes a wave run killed with SIGKILL in the middle of loading and ends with the same rows and ids', async () => {
    const target = await freshPostgres('resume_kill');
    targets.push(target);
    const env = envFor(target);
    await newTarget(env);
    const { child, done } = startPpm(['wave', 'run', 'w', '--no-cutover'], env);
    const total = reference.tables['archive.order_lines'].rows;
    let loaded = 0;
    for (let i = 0; i < 600 && loaded < total * 0.25; i += 1) {
      await sleep(50);
      loaded = await loadedRows(target.url);
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await loadedRows(target.url);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    await sleep(2000); // the killed run's lease expires (WAVE_LEASE_MS)
    const resumed = await runPpm(['wave', 'run', 'w', '--no-cutover'], env);
    expect(resumed.stderr).toMatch(/resuming run/);
    expect(resumed.code).toBe(0);
    const fingerprint = await targetFingerprint(target.url);
    expect(fingerprint).toEqual(reference);
  });

  it('shares one wave between two `ppm worker` processes and gets exactly the single-process result', async () => {
    const target = await freshPostgres('resume_workers');
    targets.push(target);
    const env = envFor(target, { LOG_LEVEL: 'debug' });
    await newTarget(env);
    const workers = [startPpm(['worker'], env), startPpm(['worker'], env)];
    try {
      const run = await runPpm(['wave', 'run', 'w', '--no-local-worker', '--no-cutover'], env);
      expect(run.stderr).toMatch(/no local worker/);
      expect(run.code).toBe(0);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
    }
    const results = await Promise.all(workers.map((worker) => worker.done));
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/partition loaded/);
    }
    expect(await targetFingerprint(target.url)).toEqual(reference);
  });
});
