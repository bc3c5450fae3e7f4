import type { Worker } from 'bullmq';
import type { Config } from '../core/config';
import { createLogger } from '../core/logger';
import { describeTransport, startEffectRuntime, type EffectRuntime } from '../../pipelines/jobs/effect-runtime';
import { assertRedisReachable } from '../../pipelines/jobs/redis';
import { createWaveWorker } from '../../pipelines/jobs/worker';
import { createSyncWorker } from '../../pipelines/jobs/sync-schedule';
import { openServices } from '../../pipelines/services';

export interface WorkerProcessOptions {
  /** Work the wave queue. */
  wave: boolean;
  /** Relay the outbox and perform its effects (portal modes, messages). */
  effects: boolean;
  concurrency?: number;
}

/**
 * A long-running worker process until SIGINT or SIGTERM: the wave queue's worker, the outbox
 * relay and effect workers, or both. On a signal it stops taking jobs, lets the active ones
 * finish and exits.
 */
export async function runWorkerProcess(config: Config, options: WorkerProcessOptions): Promise<void> {
  await assertRedisReachable(config.REDIS_URL);
  const services = await openServices(config, createLogger());
  const workers: Worker[] = [];
  let effects: EffectRuntime | undefined;
  try {
    if (options.wave) {
      workers.push(createWaveWorker(services, { concurrency: options.concurrency }));
      workers.push(createSyncWorker(services));
    }
    // `ppm notify worker --concurrency` is about messages; `ppm worker --concurrency` about wave jobs.
    if (options.effects)
      effects = startEffectRuntime(services, { concurrency: options.wave ? undefined : options.concurrency });
    services.logger.info(
      {
        queuePrefix: config.QUEUE_PREFIX,
        concurrency: options.concurrency ?? config.WORKER_CONCURRENCY,
        wave: options.wave,
        effects: options.effects,
        ...(options.effects ? { messages: describeTransport(config) } : {}),
      },
      'worker started',
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    services.logger.info('worker stopping: finishing active jobs');
  } finally {
    // Active jobs get a job lock's time to finish; then the worker stops anyway (their locks
    // expire and another worker takes them over), rather than hang on a Redis that is gone.
    const graceful = Promise.allSettled([...workers.map((worker) => worker.close()), effects?.close()]);
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), config.JOB_LOCK_MS).unref()),
    ]);
    if (timedOut) {
      services.logger.warn('active jobs did not finish in time; stopping without them');
      await Promise.race([
        Promise.allSettled(workers.map((worker) => worker.close(true))),
        new Promise((resolve) => setTimeout(resolve, 2000).unref()),
      ]);
    }
    await services.close();
  }
}
