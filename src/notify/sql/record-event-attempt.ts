import type { Knex } from 'knex';

/**
 * Records a failed attempt at an effect: how many attempts were made and the last one's reason
 * (redacted by the caller), its state left as it is, so the row shows why it is being retried.
 */
export async function recordEventAttempt(db: Knex, eventKey: string, attempts: number, reason: string): Promise<void> {
  await db('migration.outbox').update({ attempts, last_error: reason }).where({ event_key: eventKey });
}
