import type { Knex } from 'knex';

export interface WavePartnerRow {
  partnerId: number;
  state: string;
  failureReason: string | null;
  loadedAt: string | null;
  verifiedAt: string | null;
  cutoverAt: string | null;
  doneAt: string | null;
  quarantined: number;
  failedEffects: number;
}

export interface WavePartnersPage {
  rows: WavePartnerRow[];
  total: number;
}

/** One page of a wave's partners (of one state, or all), with their open quarantine and failed effects counted. */
export async function readWavePartners(
  db: Knex,
  waveId: number,
  options: { state?: string; limit: number; offset: number },
): Promise<WavePartnersPage> {
  const state = options.state ?? null;
  const [{ rows }, { rows: counted }] = await Promise.all([
    db.raw<{
      rows: Array<{
        legacy_partner_id: number;
        state: string;
        failure_reason: string | null;
        loaded_at: string | null;
        verified_at: string | null;
        cutover_at: string | null;
        done_at: string | null;
        quarantined: number;
        failed_effects: number;
      }>;
    }>(
      // The page is cut first; only its partners' quarantine and failed effects are counted.
      `SELECT wp.*,
              (SELECT count(*)::int FROM migration.quarantine q
                WHERE q.legacy_partner_id = wp.legacy_partner_id AND q.resolved_at IS NULL) AS quarantined,
              (SELECT count(*)::int FROM migration.outbox o
                WHERE o.legacy_partner_id = wp.legacy_partner_id AND o.state = 'failed') AS failed_effects
         FROM (SELECT legacy_partner_id, state, failure_reason, loaded_at, verified_at, cutover_at, done_at
                 FROM migration.wave_partners
                WHERE wave_id = ? AND (?::text IS NULL OR state = ?::text)
                ORDER BY (state = 'failed') DESC, legacy_partner_id
                LIMIT ? OFFSET ?) wp
        ORDER BY (wp.state = 'failed') DESC, wp.legacy_partner_id`,
      [waveId, state, state, options.limit, options.offset],
    ),
    db.raw<{ rows: Array<{ n: number }> }>(
      `SELECT count(*)::int AS n FROM migration.wave_partners WHERE wave_id = ? AND (?::text IS NULL OR state = ?::text)`,
      [waveId, state, state],
    ),
  ]);
  return {
    total: counted[0]?.n ?? 0,
    rows: rows.map((row) => ({
      partnerId: Number(row.legacy_partner_id),
      state: row.state,
      failureReason: row.failure_reason,
      loadedAt: row.loaded_at,
      verifiedAt: row.verified_at,
      cutoverAt: row.cutover_at,
      doneAt: row.done_at,
      quarantined: row.quarantined,
      failedEffects: row.failed_effects,
    })),
  };
}
