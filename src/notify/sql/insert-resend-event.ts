import type { Knex } from 'knex';

/**
 * Records the outbox row of a resent invitation: a pending copy of the row `originalId` (its
 * kind, queue, partner, wave and payload) under `eventKey`, the payload's `eventKey` set to it.
 */
export async function insertResendEvent(db: Knex, originalId: string, eventKey: string): Promise<void> {
  await db.raw(
    `INSERT INTO migration.outbox (event_key, kind, queue, legacy_partner_id, wave_id, payload)
         SELECT ?, kind, queue, legacy_partner_id, wave_id, jsonb_set(payload, '{eventKey}', to_jsonb(?::text))
           FROM migration.outbox
          WHERE id = ?`,
    [eventKey, eventKey, originalId],
  );
}
