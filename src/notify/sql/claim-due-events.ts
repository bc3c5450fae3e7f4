import type { Knex } from 'knex';
import type { EffectKind, EffectQueue, MessagePayload, PortalModePayload } from '../payloads';

/** An outbox row handed to a relay. */
export interface ClaimedEvent {
  eventKey: string;
  kind: EffectKind;
  queue: EffectQueue;
  partnerId: number;
  payload: PortalModePayload | MessagePayload;
  /** Attempts made before: a row put back by `ppm notify retry` has some, and its old failed job must go first. */
  attempts: number;
  /** Not to happen before this time (the webinar invitation): relayed as a delayed job. */
  notBefore: Date | null;
}

type ClaimedRow = {
  event_key: string;
  kind: EffectKind;
  queue: EffectQueue;
  legacy_partner_id: number;
  payload: ClaimedEvent['payload'];
  attempts: number;
  not_before: Date | null;
};

function toClaimed(row: ClaimedRow): ClaimedEvent {
  return {
    eventKey: row.event_key,
    kind: row.kind,
    queue: row.queue,
    partnerId: Number(row.legacy_partner_id),
    payload: row.payload,
    attempts: Number(row.attempts ?? 0),
    notBefore: row.not_before ? new Date(row.not_before) : null,
  };
}

/**
 * Marks up to `limit` ready pending effects `enqueued` and returns them: ready means the effect
 * they wait for (if any) is done; one not due before a later time (`notBefore`) is relayed as a
 * delayed job. Rows another relay holds are skipped, so relays running side by side never claim
 * a row twice.
 */
export async function claimDueEvents(db: Knex, limit: number): Promise<ClaimedEvent[]> {
  const { rows } = await db.raw<{ rows: ClaimedRow[] }>(
    `UPDATE migration.outbox o
        SET state = 'enqueued', enqueued_at = now()
      WHERE o.id IN (
              SELECT d.id
                FROM migration.outbox d
               WHERE d.state = 'pending'
                 AND (d.after_event_key IS NULL OR EXISTS (
                       SELECT 1 FROM migration.outbox p WHERE p.event_key = d.after_event_key AND p.state = 'done'))
               -- The order of outbox_due_idx (pending rows only): a probe, not a walk over every row done.
               ORDER BY d.not_before NULLS FIRST, d.id
               LIMIT ?
                 FOR UPDATE SKIP LOCKED)
  RETURNING o.event_key, o.kind, o.queue, o.legacy_partner_id, o.payload, o.attempts, o.not_before`,
    [limit],
  );
  return rows.map(toClaimed);
}

/**
 * Effects relayed more than `olderThanMs` ago and still not done nor failed: their job may be
 * lost (a relay killed between claiming and adding it, a Redis that forgot it). Re-stamped and
 * returned, up to `limit`, for the relay to look at their jobs again; adding one whose job
 * still exists changes nothing (the job id is the event key), and a job whose row is done does nothing.
 */
export async function reclaimStaleEvents(db: Knex, olderThanMs: number, limit: number): Promise<ClaimedEvent[]> {
  const { rows } = await db.raw<{ rows: ClaimedRow[] }>(
    `UPDATE migration.outbox o
        SET enqueued_at = now()
      WHERE o.id IN (
              SELECT d.id FROM migration.outbox d
               WHERE d.state = 'enqueued' AND d.enqueued_at < now() - ? * interval '1 millisecond'
               ORDER BY d.enqueued_at, d.id
               LIMIT ?
                 FOR UPDATE SKIP LOCKED)
  RETURNING o.event_key, o.kind, o.queue, o.legacy_partner_id, o.payload, o.attempts, o.not_before`,
    [olderThanMs, limit],
  );
  return rows.map(toClaimed);
}
