import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { settleCutoverPartners } from '../../src/load';
import { isRetryable } from '../../src/core/errors';
import { redactText } from '../../src/core/redact';
import {
  markEventDone,
  markEventFailed,
  portalModePayloadSchema,
  readEventState,
  recordEventAttempt,
} from '../../src/notify';
import { retryDelay } from './message-worker';
import { connectRedis } from './redis';
import type { Services } from '../services';

/** Name of the queue of legacy `PortalMode` writes. */
export const PORTAL_QUEUE = 'portal';

/**
 * Performs one `PortalMode` write. PostgreSQL, not Redis, records what was done: a job whose
 * outbox row is done does nothing; otherwise the write (idempotent: setting the same mode again
 * changes nothing), then the row is marked done and the partner settled.
 */
export async function performPortalMode(services: Services, data: unknown): Promise<'done' | 'already done'> {
  const parsed = portalModePayloadSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`portal job payload refused: ${parsed.error.issues[0]?.message}`);
  const { eventKey, partnerId, mode } = parsed.data;
  const state = await readEventState(services.target, eventKey);
  if (state === undefined) throw new UnrecoverableError(`no outbox row ${eventKey}`);
  if (state === 'done') return 'already done';
  await services.source.setPortalMode(partnerId, mode);
  await markEventDone(services.target, eventKey);
  await settleCutoverPartners(services.target, [partnerId]);
  return 'done';
}

/** A worker of the portal queue (several may run: each write happens once per outbox row). */
export function createPortalWorker(services: Services, options: { concurrency?: number } = {}): Worker {
  const connection = connectRedis(services.config.REDIS_URL, (message) => services.logger.warn(message));
  const worker = new Worker(
    PORTAL_QUEUE,
    async (job: Job) => {
      try {
        return await performPortalMode(services, job.data);
      } catch (error) {
        // The legacy database unreachable is retried with backoff; after the last attempt, or
        // for an error no retry would change, the row stays failed with the reason.
        const last =
          error instanceof UnrecoverableError ||
          !isRetryable(error) ||
          job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const eventKey = String((job.data as { eventKey?: unknown }).eventKey ?? job.id);
        const reason = redactText(error instanceof Error ? error.message : String(error));
        await recordEventAttempt(services.target, eventKey, job.attemptsMade + 1, reason).catch(() => undefined);
        if (last) {
          await markEventFailed(services.target, eventKey, reason, job.attemptsMade + 1).catch(() => undefined);
          throw new UnrecoverableError(reason);
        }
        throw error;
      }
    },
    {
      connection,
      prefix: services.config.QUEUE_PREFIX,
      concurrency: options.concurrency ?? services.config.WORKER_CONCURRENCY,
      lockDuration: services.config.JOB_LOCK_MS,
      settings: {
        backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, services.config.NOTIFY_BACKOFF_MS),
      },
    },
  );
  worker.on('error', (error) => services.logger.error({ err: error }, 'portal worker error'));
  worker.on('closed', () => connection.disconnect());
  return worker;
}
