import type { Knex } from 'knex';

/** A failed outbox row and the reason it was left failed with. */
export interface FailedEvent {
  partnerId: number;
  kind: string;
  eventKey: string;
  /** As recorded (redacted when written); null when none was. */
  reason: string | null;
}

/** The failed outbox rows, of one wave or of all, by partner and then in the order they were recorded. */
export async function readFailedEvents(db: Knex, options: { waveId?: number } = {}): Promise<FailedEvent[]> {
  const { rows } = await db.raw<{
    rows: Array<{ legacy_partner_id: number | null; kind: string; event_key: string; last_error: string | null }>;
  }>(
    `SELECT legacy_partner_id, kind, event_key, last_error
       FROM migration.outbox
      WHERE state = 'failed' AND (?::bigint IS NULL OR wave_id = ?::bigint)
      ORDER BY legacy_partner_id, id`,
    [options.waveId ?? null, options.waveId ?? null],
  );
  return rows.map((row) => ({
    partnerId: Number(row.legacy_partner_id),
    kind: row.kind,
    eventKey: row.event_key,
    reason: row.last_error,
  }));
}
