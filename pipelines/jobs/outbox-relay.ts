import type { Queue } from 'bullmq';
import type { Knex } from 'knex';
import { claimDueEvents, type EffectQueue } from '../../src/notify';

/** The BullMQ queues effects are relayed to, by outbox queue name. */
export type EffectQueues = Readonly<Record<EffectQueue, Queue>>;

/** Completed effect jobs leave Redis at once (PostgreSQL records what was done); failed ones stay a week. */
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

/**
 * Moves due pending outbox rows to their queues, `limit` at a time until none is due, with the
 * event key as job id: a row claimed twice (a relay that crashed after adding its job) is still
 * one job. `attempts` per job (default 1), retried by the worker's backoff strategy. Resolves
 * with the rows relayed.
 */
export async function relayOutbox(
  db: Knex,
  queues: EffectQueues,
  options: { limit?: number; attempts?: number } = {},
): Promise<number> {
  const limit = options.limit ?? 500;
  let relayed = 0;
  for (;;) {
    const events = await claimDueEvents(db, limit);
    for (const event of events) {
      await queues[event.queue].add(event.kind, event.payload, {
        jobId: event.eventKey,
        attempts: options.attempts ?? 1,
        backoff: { type: 'custom' },
        ...RETENTION,
      });
    }
    relayed += events.length;
    if (events.length < limit) return relayed;
  }
}
