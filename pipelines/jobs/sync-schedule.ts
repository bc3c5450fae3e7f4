import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { UsageError } from '../../src/core/errors';
import {
  deleteStoredSyncSchedule,
  readStoredSyncSchedule as readStoredSchedule,
  storeSyncSchedule,
  type StoredSyncSchedule,
} from '../../src/load';
import { redactText } from '../../src/core/redact';
import { runSync, type SyncResult } from '../commands/sync-run';
import type { Services } from '../services';
import { connectRedis } from './redis';

/** The queue of the nightly sync, and the one scheduler that feeds it. */
export const SYNC_QUEUE = 'sync';
export const SYNC_SCHEDULER_ID = 'nightly-sync';

/** A sync schedule as Redis holds it. */
export interface SyncSchedule {
  pattern: string;
  tz: string;
  /** When the scheduler fires next (epoch ms); in the past when no worker took the due run. */
  next: number | null;
}

function syncQueue(services: Pick<Services, 'config'>): { queue: Queue; close(): Promise<void> } {
  const connection = connectRedis(services.config.REDIS_URL);
  const queue = new Queue(SYNC_QUEUE, { connection, prefix: services.config.QUEUE_PREFIX });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Checks an IANA time zone the way the scheduler will use it. */
function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`--tz "${tz}" is not an IANA time zone (for example Europe/Zurich or UTC)`);
  }
  return tz;
}

/** The job scheduler of the sync, upserted under its one id. */
function upsertScheduler(
  queue: Queue,
  services: Pick<Services, 'environment'>,
  pattern: string,
  tz: string,
): Promise<unknown> {
  return queue.upsertJobScheduler(
    SYNC_SCHEDULER_ID,
    { pattern, tz },
    {
      name: 'sync',
      data: { environment: services.environment },
      opts: { removeOnComplete: 50, removeOnFail: 50, attempts: 1 },
    },
  );
}

/** The schedule as the marketplace database keeps it (migration.sync_schedule), if one was registered. */
export function readStoredSyncSchedule(services: Pick<Services, 'target'>): Promise<StoredSyncSchedule | undefined> {
  return readStoredSchedule(services.target);
}

/**
 * Registers (or replaces) the nightly sync's job scheduler: an upsert under one id, so running
 * it twice leaves one schedule; the time zone is always explicit. The schedule is also kept in
 * the marketplace database, from which `ppm worker` registers it again should Redis lose it.
 * Returns the schedule stored.
 */
export async function scheduleSync(
  services: Pick<Services, 'config' | 'environment' | 'target'>,
  pattern: string,
  tz: string,
): Promise<SyncSchedule> {
  checkTimeZone(tz);
  const { queue, close } = syncQueue(services);
  try {
    try {
      await upsertScheduler(queue, services, pattern, tz);
    } catch (error) {
      if (/Redis|ECONNREFUSED|Connection/i.test(String(error))) throw error;
      throw new UsageError(
        `--cron "${pattern}" is not a cron pattern the scheduler accepts: ${redactText(error instanceof Error ? error.message : String(error))}`,
      );
    }
    await storeSyncSchedule(services.target, { pattern, tz });
    return (await readSchedule(queue))!;
  } finally {
    await close();
  }
}

/** Removes the nightly sync's scheduler, from Redis and the marketplace database; false when there was none. */
export async function unscheduleSync(services: Pick<Services, 'config' | 'target'>): Promise<boolean> {
  const { queue, close } = syncQueue(services);
  try {
    const removed = await queue.removeJobScheduler(SYNC_SCHEDULER_ID);
    const deleted = await deleteStoredSyncSchedule(services.target);
    return removed || deleted;
  } finally {
    await close();
  }
}

/**
 * Registers the stored schedule again when Redis does not hold it as stored (Redis restarted
 * without persistence, or was replaced): what `ppm worker` does when it starts and every
 * minute. Returns whether it had to.
 */
export async function restoreSyncSchedule(
  services: Pick<Services, 'config' | 'environment' | 'target'>,
): Promise<boolean> {
  const stored = await readStoredSyncSchedule(services);
  if (!stored) return false;
  const { queue, close } = syncQueue(services);
  try {
    const held = await readSchedule(queue);
    if (held && held.pattern === stored.pattern && held.tz === stored.tz) return false;
    await upsertScheduler(queue, services, stored.pattern, stored.tz);
    return true;
  } finally {
    await close();
  }
}

/** How often a sync worker makes sure Redis still holds the stored schedule. */
export const SCHEDULE_CHECK_MS = 60_000;

async function readSchedule(queue: Queue): Promise<SyncSchedule | undefined> {
  const scheduler = await queue.getJobScheduler(SYNC_SCHEDULER_ID);
  if (!scheduler?.pattern) return undefined;
  return { pattern: scheduler.pattern, tz: scheduler.tz ?? 'UTC', next: scheduler.next ?? null };
}

/** The nightly sync's schedule, when one is registered. */
export async function readSyncSchedule(services: Pick<Services, 'config'>): Promise<SyncSchedule | undefined> {
  const { queue, close } = syncQueue(services);
  try {
    return await readSchedule(queue);
  } finally {
    await close();
  }
}

/**
 * The worker of the sync queue (one job at a time; the sync's own lock refuses a second anywhere).
 * A job of another environment behind the same QUEUE_PREFIX is left alone, as on the wave queue.
 */
export function createSyncWorker(
  services: Services,
  onDone?: (result: SyncResult) => void,
  options: { scheduleCheckMs?: number } = {},
): Worker {
  const connection = connectRedis(services.config.REDIS_URL, (message) => services.logger.warn(message));
  const worker = new Worker(
    SYNC_QUEUE,
    async (job: Job, token?: string) => {
      const environment = (job.data as { environment?: unknown }).environment;
      if (typeof environment === 'string' && environment !== services.environment) {
        services.logger.error(
          { job: job.id, jobEnvironment: environment, environment: services.environment },
          'sync job of another marketplace database behind the same QUEUE_PREFIX left alone',
        );
        await job.moveToDelayed(Date.now() + 60_000, token);
        throw new DelayedError();
      }
      const result = await runSync(services);
      services.logger.info(
        { run: result.runId, touched: result.touched, passed: result.passed, ms: result.elapsedMs },
        'scheduled sync finished',
      );
      onDone?.(result);
      return { runId: result.runId, touched: result.touched, passed: result.passed };
    },
    { connection, prefix: services.config.QUEUE_PREFIX, concurrency: 1, lockDuration: services.config.JOB_LOCK_MS },
  );
  worker.on('error', (error) => services.logger.error({ err: error }, 'sync worker error'));
  worker.on('failed', (job, error) => services.logger.error({ job: job?.id, err: error }, 'scheduled sync failed'));
  // Redis loses its job scheduler when it restarts without persistence: registered again from
  // the marketplace database now, whenever the connection is ready again, and every minute.
  const restore = () =>
    restoreSyncSchedule(services)
      .then((restored) => {
        if (restored) services.logger.warn('the nightly sync schedule was missing from Redis: registered again');
      })
      .catch((error: unknown) =>
        services.logger.warn({ err: error }, 'could not check the nightly sync schedule; trying again in a minute'),
      );
  void restore();
  // ioredis says `ready` again once it has reconnected: a restarted Redis is checked at once.
  connection.on('ready', () => void restore());
  const timer = setInterval(() => void restore(), options.scheduleCheckMs ?? SCHEDULE_CHECK_MS);
  timer.unref();
  worker.on('closed', () => {
    clearInterval(timer);
    connection.disconnect();
  });
  return worker;
}
