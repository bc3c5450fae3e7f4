import type { Knex } from 'knex';

/** Leaves an effect failed with its reason (never with a recipient address: the caller redacts). */
export async function markEventFailed(db: Knex, eventKey: string, reason: string, attempts: number): Promise<void> {
  await db('migration.outbox')
    .update({ state: 'failed', failed_at: db.fn.now(), last_error: reason, attempts })
    .where({ event_key: eventKey })
    .whereNot({ state: 'done' });
}
