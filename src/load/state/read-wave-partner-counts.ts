import type { Knex } from 'knex';

/** A wave's partners in one lifecycle state. */
export interface WavePartnerCount {
  wave: string;
  /** The wave's own status. */
  status: string;
  /** null (with count 0) for a wave with no partners. */
  state: string | null;
  count: number;
}

/**
 * Partners per wave and lifecycle state, of one wave or of all, in wave order: every wave is
 * there, a wave with no partners as one row with state null.
 */
export async function readWavePartnerCounts(db: Knex, options: { waveId?: number } = {}): Promise<WavePartnerCount[]> {
  const { rows } = await db.raw<{
    rows: Array<{ name: string; status: string; state: string | null; n: number }>;
  }>(
    `SELECT w.id, w.name, w.status, wp.state, count(wp.legacy_partner_id)::int AS n
       FROM migration.waves w
       LEFT JOIN migration.wave_partners wp ON wp.wave_id = w.id
      WHERE ?::bigint IS NULL OR w.id = ?::bigint
      GROUP BY w.id, w.name, w.status, wp.state
      ORDER BY w.id, wp.state`,
    [options.waveId ?? null, options.waveId ?? null],
  );
  return rows.map((row) => ({ wave: row.name, status: row.status, state: row.state, count: row.n }));
}
