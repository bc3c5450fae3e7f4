import type { Queue } from 'bullmq';
import type { Knex } from 'knex';
import { claimDueEvents, reclaimStaleEvents, type ClaimedEvent, type EffectQueue } from '../../src/notify';

/** The BullMQ queues effects are relayed to, by outbox queue name. */
export type EffectQueues = Readonly<Record<EffectQueue, Queue>>;

/** Completed effect jobs leave Redis at once (PostgreSQL records what was done); failed ones stay a week. */
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

export interface RelayOptions {
  /** Rows claimed per statement. Default 500. */
  limit?: number;
  /** Attempts per job (default 1), retried by the worker's backoff strategy. */
  attempts?: number;
}

/** Adds claimed effects' jobs, one `addBulk` per queue (a round trip per batch, not per job). */
async function addJobs(queues: EffectQueues, events: ClaimedEvent[], attempts: number): Promise<void> {
  // Put back by `ppm notify retry`: its failed job (kept a week under the same id) would swallow
  // the new one. An active job cannot be removed, and needs no new one.
  const retried = events.filter((event) => event.attempts > 0);
  for (const event of retried) await queues[event.queue].remove(event.eventKey).catch(() => 0);
  const byQueue = new Map<EffectQueue, ClaimedEvent[]>();
  for (const event of events) byQueue.set(event.queue, [...(byQueue.get(event.queue) ?? []), event]);
  for (const [queue, some] of byQueue) {
    await queues[queue].addBulk(
      some.map((event) => {
        const delay = event.notBefore ? Math.max(0, event.notBefore.getTime() - Date.now()) : 0;
        return {
          name: event.kind,
          data: event.payload,
          opts: {
            jobId: event.eventKey,
            ...(delay > 0 ? { delay } : {}),
            attempts,
            backoff: { type: 'custom' },
            ...RETENTION,
          },
        };
      }),
    );
  }
}

/**
 * Moves due pending outbox rows to their queues, `limit` at a time until none is due, with the
 * event key as job id: a row claimed twice (a relay that crashed after adding its job) is still
 * one job. Resolves with the rows relayed.
 */
export async function relayOutbox(db: Knex, queues: EffectQueues, options: RelayOptions = {}): Promise<number> {
  const limit = options.limit ?? 500;
  let relayed = 0;
  for (;;) {
    const events = await claimDueEvents(db, limit);
    await addJobs(queues, events, options.attempts ?? 1);
    relayed += events.length;
    if (events.length < limit) return relayed;
  }
}

/**
 * Looks again at effects relayed more than `olderThanMs` ago that are neither done nor failed:
 * a job that is gone (its relay killed after claiming the row, or Redis restarted without
 * persistence) is added again; one that failed without its row being marked is retried; one
 * still waiting or running is left alone. Resolves with the jobs added or retried.
 */
export async function reclaimStaleEffects(
  db: Knex,
  queues: EffectQueues,
  olderThanMs: number,
  options: RelayOptions = {},
): Promise<number> {
  let revived = 0;
  for (const event of await reclaimStaleEvents(db, olderThanMs, options.limit ?? 500)) {
    const job = await queues[event.queue].getJob(event.eventKey);
    if (!job) {
      await addJobs(queues, [{ ...event, attempts: 0 }], options.attempts ?? 1);
      revived += 1;
    } else if ((await job.getState()) === 'failed') {
      await job.retry();
      revived += 1;
    }
  }
  return revived;
}
