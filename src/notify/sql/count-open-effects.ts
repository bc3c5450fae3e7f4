import type { Knex } from 'knex';

/** A wave's effects that are due now, by how far they are. */
export interface OpenEffects {
  /** Due and not yet performed: pending or relayed, and not held by a failed effect before them. */
  open: number;
  done: number;
  failed: number;
  /** Held: waiting for an effect that failed (they go once `ppm notify retry` makes it happen). */
  held: number;
  /** Due later (the webinar invitations). */
  later: number;
}

/**
 * Counts a wave's effects for someone waiting for them: those due now and not performed, those
 * held behind a failed one (which nothing but a retry will move), and those due later.
 */
export async function countOpenEffects(db: Knex, waveId: number): Promise<OpenEffects> {
  const { rows } = await db.raw<{ rows: Array<OpenEffects> }>(
    `WITH RECURSIVE held AS (
       SELECT o.event_key FROM migration.outbox o WHERE o.wave_id = ? AND o.state = 'failed'
       UNION
       SELECT o.event_key FROM migration.outbox o JOIN held h ON o.after_event_key = h.event_key
        WHERE o.state IN ('pending', 'enqueued')
     )
     SELECT count(*) FILTER (WHERE o.state IN ('pending', 'enqueued') AND h.event_key IS NULL
                               AND (o.not_before IS NULL OR o.not_before <= now()))::int AS open,
            count(*) FILTER (WHERE o.state = 'done')::int AS done,
            count(*) FILTER (WHERE o.state = 'failed')::int AS failed,
            count(*) FILTER (WHERE o.state IN ('pending', 'enqueued') AND h.event_key IS NOT NULL)::int AS held,
            count(*) FILTER (WHERE o.state IN ('pending', 'enqueued') AND h.event_key IS NULL
                               AND o.not_before > now())::int AS later
       FROM migration.outbox o LEFT JOIN held h ON h.event_key = o.event_key
      WHERE o.wave_id = ?`,
    [waveId, waveId],
  );
  return rows[0];
}
