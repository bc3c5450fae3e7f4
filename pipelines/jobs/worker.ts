import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { isRetryable } from '../../src/core/errors';
import { redactText } from '../../src/core/redact';
import { failPartners, setPartnerState } from '../../src/load';
import { JOB_NAMES, WAVE_QUEUE, batchJobSchema, partitionJobSchema, partnerJobSchema, waveJobSchema } from './payloads';
import { processBatchJob } from './batch-job';
import { processPartitionJob } from './partition-job';
import { processPartnerJob } from './partner-job';
import { connectRedis } from './redis';
import type { Services } from '../services';
import { processWaveJob } from './wave-job';

/** Options of a wave worker. */
export interface WaveWorkerOptions {
  /** Jobs run at once by this process; default the config's WORKER_CONCURRENCY. */
  concurrency?: number;
  /** How long a job's lock lives without renewal, in ms; a killed worker's job is taken over after it. Default JOB_LOCK_MS. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for, in ms. Default half the lock duration. */
  stalledIntervalMs?: number;
}

/** Attempts per job; transient failures (source unavailable, deadlock) are retried with backoff. */
export const JOB_ATTEMPTS = 8;

async function dispatch(services: Services, job: Job): Promise<unknown> {
  const started = Date.now();
  switch (job.name) {
    case JOB_NAMES.partition: {
      const data = partitionJobSchema.parse(job.data);
      const log = services.logger.child({
        wave: data.waveName,
        partner: data.partnerId,
        job: `${data.kind}:${data.partition.index}`,
      });
      const rows = await processPartitionJob(services, job, data);
      log.debug({ rows, ms: Date.now() - started }, 'partition loaded');
      return { rows };
    }
    case JOB_NAMES.partner: {
      const data = partnerJobSchema.parse(job.data);
      await processPartnerJob(services, data);
      services.logger.debug(
        { wave: data.waveName, partner: data.partnerId, ms: Date.now() - started },
        'partner loaded',
      );
      return { partnerId: data.partnerId };
    }
    case JOB_NAMES.batch: {
      const data = batchJobSchema.parse(job.data);
      const outcome = await processBatchJob(services, job, data);
      services.logger.debug(
        {
          wave: data.waveName,
          partners: data.partnerIds.length,
          first: data.partnerIds[0],
          rows: outcome.rows,
          failed: outcome.failed.length,
          ms: Date.now() - started,
        },
        'batch loaded',
      );
      return { rows: outcome.rows, loaded: outcome.loaded.length, failed: outcome.failed.length };
    }
    case JOB_NAMES.wave:
      return processWaveJob(services, job, waveJobSchema.parse(job.data));
    default:
      throw new UnrecoverableError(`unknown job name "${job.name}"`);
  }
}

/**
 * Marks the job's partner failed when its job will not be tried again, so the wave reports it;
 * for a batch, those of its partners still `loading` (the others were loaded, or failed alone).
 */
async function settleFailure(services: Services, job: Job, error: unknown): Promise<never> {
  const lastAttempt = !isRetryable(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const message = redactText(error instanceof Error ? error.message : String(error));
  const data = job.data as { waveId?: number; partnerId?: number; partnerIds?: number[]; waveName?: string };
  services.logger.error(
    {
      wave: data.waveName,
      partner: data.partnerId ?? data.partnerIds?.[0],
      job: job.id,
      attempt: job.attemptsMade + 1,
      err: error,
    },
    'job failed',
  );
  if (lastAttempt && data.waveId !== undefined && (data.partnerId !== undefined || data.partnerIds !== undefined)) {
    const reason = `${job.name}: ${message}`;
    if (data.partnerId !== undefined) {
      await setPartnerState(services.target, data.waveId, data.partnerId, 'failed', reason).catch(() => undefined);
    } else {
      await failPartners(services.target, data.waveId, data.partnerIds ?? [], 'loading', reason).catch(() => undefined);
    }
    throw new UnrecoverableError(message);
  }
  throw error;
}

/** A worker of the wave queue. Any number of them, on any machine sharing the Redis, share one wave. */
export function createWaveWorker(services: Services, options: WaveWorkerOptions = {}): Worker {
  const connection = connectRedis(services.config.REDIS_URL, (message) => services.logger.warn(message));
  const worker = new Worker(
    WAVE_QUEUE,
    async (job, token) => {
      const environment = (job.data as { environment?: unknown }).environment;
      if (typeof environment === 'string' && environment !== services.environment) {
        // A job of another environment sharing this Redis and QUEUE_PREFIX: never run against
        // this process's databases. It goes back to wait for a worker of its own environment.
        services.logger.error(
          { job: job.id, jobEnvironment: environment, environment: services.environment },
          'job of another marketplace database behind the same QUEUE_PREFIX left alone: give each environment its own QUEUE_PREFIX',
        );
        await job.moveToDelayed(Date.now() + 5000, token);
        throw new DelayedError();
      }
      try {
        return await dispatch(services, job);
      } catch (error) {
        return settleFailure(services, job, error);
      }
    },
    {
      connection,
      prefix: services.config.QUEUE_PREFIX,
      concurrency: options.concurrency ?? services.config.WORKER_CONCURRENCY,
      lockDuration: options.lockDurationMs ?? services.config.JOB_LOCK_MS,
      stalledInterval:
        options.stalledIntervalMs ??
        Math.max(1000, Math.floor((options.lockDurationMs ?? services.config.JOB_LOCK_MS) / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => services.logger.error({ err: error }, 'worker error'));
  worker.on('closed', () => connection.disconnect());
  return worker;
}
