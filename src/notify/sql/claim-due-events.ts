import type { Knex } from 'knex';
import type { EffectKind, EffectQueue, MessagePayload, PortalModePayload } from '../payloads';

/** An outbox row handed to a relay. */
export interface ClaimedEvent {
  eventKey: string;
  kind: EffectKind;
  queue: EffectQueue;
  partnerId: number;
  payload: PortalModePayload | MessagePayload;
}

/**
 * Marks up to `limit` due pending effects `enqueued` and returns them: due means not before
 * now, and the effect they wait for (if any) done. Rows another relay holds are skipped, so
 * relays running side by side never claim a row twice.
 */
export async function claimDueEvents(db: Knex, limit: number): Promise<ClaimedEvent[]> {
  const { rows } = await db.raw<{
    rows: Array<{
      event_key: string;
      kind: EffectKind;
      queue: EffectQueue;
      legacy_partner_id: number;
      payload: ClaimedEvent['payload'];
    }>;
  }>(
    `UPDATE migration.outbox o
        SET state = 'enqueued', enqueued_at = now()
      WHERE o.id IN (
              SELECT d.id
                FROM migration.outbox d
               WHERE d.state = 'pending'
                 AND (d.not_before IS NULL OR d.not_before <= now())
                 AND (d.after_event_key IS NULL OR EXISTS (
                       SELECT 1 FROM migration.outbox p WHERE p.event_key = d.after_event_key AND p.state = 'done'))
               ORDER BY d.not_before NULLS FIRST, d.id
               LIMIT ?
                 FOR UPDATE SKIP LOCKED)
  RETURNING o.event_key, o.kind, o.queue, o.legacy_partner_id, o.payload`,
    [limit],
  );
  return rows.map((row) => ({
    eventKey: row.event_key,
    kind: row.kind,
    queue: row.queue,
    partnerId: Number(row.legacy_partner_id),
    payload: row.payload,
  }));
}
