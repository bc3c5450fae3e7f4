import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { Worker } from 'bullmq';
import { createSyncWorker, SYNC_QUEUE } from '../../pipelines/jobs/sync-schedule';
import { runPpm } from '../helpers/cli';
import { TEST_REDIS_URL } from '../helpers/databases';
import { sleep } from '../helpers/pg';
import { cleanWave, type VerifiedWave } from './verify-fixture';

let fixture: VerifiedWave;
let redis: IORedis;
let queue: Queue;

beforeAll(async () => {
  fixture = await cleanWave('sync_schedule', 4);
  redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(SYNC_QUEUE, { connection: redis, prefix: fixture.env.QUEUE_PREFIX });
}, 240_000);

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await fixture?.close();
});

const syncRuns = async () =>
  (await fixture.services
    .target('migration.runs')
    .where({ kind: 'sync' })
    .whereNull('wave_id')
    .select('id', 'status')
    .orderBy('id')) as Array<{ id: string; status: string }>;

describe('ppm sync from the command line', () => {
  it('a sync with nothing to do changes nothing and exits 0', async () => {
    const first = await runPpm(['sync', 'run'], fixture.env);
    expect(first.stderr).not.toMatch(/ppm:/);
    expect(first.code).toBe(0);
    const again = await runPpm(['sync', 'run'], fixture.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 of 4 migrated partners changed/);
    expect(again.stdout).toContain('nothing to change');
  });

  it('refuses a second sync while one runs, naming why', async () => {
    const holder = new Client({ connectionString: fixture.env.MARKETPLACE_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('ppm.nightly-sync'))");
      const refused = await runPpm(['sync', 'run'], fixture.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/another sync is running/);
    } finally {
      await holder.end();
    }
    expect((await runPpm(['sync', 'run', '--dry-run'], fixture.env)).code).toBe(0);
  });

  it('schedule twice leaves exactly one scheduler, with its time zone; a bad pattern or zone is refused', async () => {
    for (let i = 0; i < 2; i += 1) {
      const scheduled = await runPpm(['sync', 'schedule', '--cron', '0 2 * * *', '--tz', 'Europe/Zurich'], fixture.env);
      expect(scheduled.stderr).toBe('');
      expect(scheduled.code).toBe(0);
      expect(scheduled.stdout).toMatch(/sync scheduled: "0 2 \* \* \*" \(Europe\/Zurich\); next run \d{4}-/);
    }
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '0 2 * * *', tz: 'Europe/Zurich' });
    // 02:00 in Zurich is 00:00 or 01:00 UTC.
    expect([0, 1]).toContain(new Date(schedulers[0]!.next!).getUTCHours());

    const badCron = await runPpm(['sync', 'schedule', '--cron', 'every night'], fixture.env);
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toMatch(/--cron "every night" is not a cron pattern/);
    const badZone = await runPpm(['sync', 'schedule', '--cron', '0 2 * * *', '--tz', 'Mars/Olympus'], fixture.env);
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toMatch(/--tz "Mars\/Olympus" is not an IANA time zone/);
    expect(await queue.getJobSchedulers()).toHaveLength(1);

    const status = await runPpm(['status', '--json'], fixture.env);
    expect(status.code).toBe(0);
    const sync = JSON.parse(status.stdout).sync;
    expect(sync.schedule).toMatchObject({ pattern: '0 2 * * *', tz: 'Europe/Zurich', missed: false });
    expect(sync.last.status).toBe('succeeded');
  });

  it('a worker runs the scheduled sync; unschedule removes it', async () => {
    const before = (await syncRuns()).length;
    const scheduled = await runPpm(['sync', 'schedule', '--cron', '*/2 * * * * *', '--tz', 'UTC'], fixture.env);
    expect(scheduled.code).toBe(0);
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    let worker: Worker | undefined;
    try {
      worker = createSyncWorker(fixture.services);
      const until = Date.now() + 30_000;
      while (Date.now() < until && (await syncRuns()).filter((run) => run.status === 'succeeded').length <= before)
        await sleep(250);
    } finally {
      await worker?.close();
    }
    const after = await syncRuns();
    expect(after.filter((run) => run.status === 'succeeded').length).toBeGreaterThan(before);

    const removed = await runPpm(['sync', 'unschedule'], fixture.env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('sync schedule removed');
    expect(await queue.getJobSchedulers()).toHaveLength(0);
    const status = JSON.parse((await runPpm(['status', '--json'], fixture.env)).stdout);
    expect(status.sync.schedule).toBeNull();
  });

  it('a schedule Redis lost (restarted without persistence) is shown as missed and registered again by a worker', async () => {
    expect((await runPpm(['sync', 'schedule', '--cron', '0 3 * * *', '--tz', 'Europe/Zurich'], fixture.env)).code).toBe(
      0,
    );
    // What a Redis restart without persistence leaves: no scheduler, the marketplace database's row kept.
    await queue.removeJobScheduler('nightly-sync');
    expect(await queue.getJobSchedulers()).toHaveLength(0);
    const lost = await runPpm(['status'], fixture.env);
    expect(lost.stdout).toMatch(/sync MISSED: the schedule "0 3 \* \* \*" \(Europe\/Zurich\) is gone from Redis/);
    expect(JSON.parse((await runPpm(['status', '--json'], fixture.env)).stdout).sync.scheduleLost).toEqual({
      pattern: '0 3 * * *',
      tz: 'Europe/Zurich',
    });

    let worker: Worker | undefined;
    try {
      worker = createSyncWorker(fixture.services, undefined, { scheduleCheckMs: 200 });
      const until = Date.now() + 15_000;
      while (Date.now() < until && (await queue.getJobSchedulers()).length === 0) await sleep(100);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ pattern: '0 3 * * *', tz: 'Europe/Zurich' });
      // Checked again every interval: still one.
      await sleep(600);
      expect(await queue.getJobSchedulers()).toHaveLength(1);
    } finally {
      await worker?.close();
    }
    const status = JSON.parse((await runPpm(['status', '--json'], fixture.env)).stdout);
    expect(status.sync.scheduleLost).toBeNull();
    expect(status.sync.schedule).toMatchObject({ pattern: '0 3 * * *', missed: false });

    expect((await runPpm(['sync', 'unschedule'], fixture.env)).code).toBe(0);
    expect(await fixture.services.target('migration.sync_schedule').count({ n: '*' })).toEqual([{ n: '0' }]);
  });
});
