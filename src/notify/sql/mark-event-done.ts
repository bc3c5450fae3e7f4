import type { Knex } from 'knex';

/** Marks an effect performed; false when it was done already (a repeat must not act again). */
export async function markEventDone(db: Knex, eventKey: string): Promise<boolean> {
  const rows = await db('migration.outbox')
    .update({ state: 'done', done_at: db.fn.now(), sent_at: db.fn.now() })
    .where({ event_key: eventKey })
    .whereNot({ state: 'done' })
    .returning('id');
  return rows.length > 0;
}
