import type { Knex } from 'knex';
import type { EffectKind, EffectQueue, MessagePayload, PortalModePayload } from '../payloads';

/** One effect to record. */
export interface OutboxEvent {
  eventKey: string;
  kind: EffectKind;
  queue: EffectQueue;
  partnerId: number;
  waveId: number;
  payload: PortalModePayload | MessagePayload;
  /** The effect that must be done before this one. */
  afterEventKey?: string;
  /** Not before this time (delayed effects). */
  notBefore?: Date;
}

/**
 * Records effects as pending outbox rows, in the caller's transaction (the one that changes the
 * state that causes them). An effect already recorded is left as it is: returns the rows added.
 */
export async function insertOutboxEvents(trx: Knex.Transaction, events: ReadonlyArray<OutboxEvent>): Promise<number> {
  if (events.length === 0) return 0;
  const result = await trx.raw<{ rowCount: number }>(
    `INSERT INTO migration.outbox (event_key, kind, queue, legacy_partner_id, wave_id, payload, after_event_key, not_before)
     SELECT e.event_key, e.kind, e.queue, e.partner_id, e.wave_id, e.payload, e.after_event_key, e.not_before
       FROM jsonb_to_recordset(?::jsonb) AS e (
              event_key text, kind text, queue text, partner_id int, wave_id bigint, payload jsonb,
              after_event_key text, not_before timestamptz)
         ON CONFLICT (event_key) DO NOTHING`,
    [
      JSON.stringify(
        events.map((event) => ({
          event_key: event.eventKey,
          kind: event.kind,
          queue: event.queue,
          partner_id: event.partnerId,
          wave_id: event.waveId,
          payload: event.payload,
          after_event_key: event.afterEventKey ?? null,
          not_before: event.notBefore?.toISOString() ?? null,
        })),
      ),
    ],
  );
  return result.rowCount;
}
