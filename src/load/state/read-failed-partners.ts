import type { Knex } from 'knex';

/** A failed partner of a wave and the reason it failed. */
export interface FailedPartner {
  partnerId: number;
  /** As recorded; null when none was. */
  reason: string | null;
}

/** The partners in state `failed`, of one wave or of all, by partner id (a partner failed in two waves twice). */
export async function readFailedPartners(db: Knex, options: { waveId?: number } = {}): Promise<FailedPartner[]> {
  const { rows } = await db.raw<{
    rows: Array<{ legacy_partner_id: number; failure_reason: string | null }>;
  }>(
    `SELECT legacy_partner_id, failure_reason
       FROM migration.wave_partners
      WHERE state = 'failed' AND (?::bigint IS NULL OR wave_id = ?::bigint)
      ORDER BY legacy_partner_id, wave_id`,
    [options.waveId ?? null, options.waveId ?? null],
  );
  return rows.map((row) => ({ partnerId: Number(row.legacy_partner_id), reason: row.failure_reason }));
}
