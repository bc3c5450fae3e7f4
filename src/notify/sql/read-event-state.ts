import type { Knex } from 'knex';

/** The state of an outbox row (`pending`, `enqueued`, `done`, `failed`), or undefined when there is none. */
export async function readEventState(db: Knex, eventKey: string): Promise<string | undefined> {
  const row = await db('migration.outbox').first('state').where({ event_key: eventKey });
  return row?.state;
}
