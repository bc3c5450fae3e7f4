import type { Knex } from 'knex';

/** Invitations in one status. */
export interface InvitationCount {
  /** `open`, `sent`, `expired`, `accepted`, `revoked` or `superseded`. */
  status: string;
  count: number;
}

/**
 * Invitations per status, of one wave's partners or of all: `accepted` first, then `superseded`
 * by a resend, `revoked` by an operator, `open` (not sent yet), `expired`, else `sent` (each
 * invitation counts once, in the first status that holds). Statuses with no invitation are absent.
 */
export async function readInvitationCounts(db: Knex, options: { waveId?: number } = {}): Promise<InvitationCount[]> {
  const { rows } = await db.raw<{ rows: Array<{ status: string; n: number }> }>(
    `SELECT CASE WHEN accepted_at IS NOT NULL THEN 'accepted'
                 WHEN superseded_by IS NOT NULL THEN 'superseded'
                 WHEN revoked_at IS NOT NULL THEN 'revoked'
                 WHEN sent_at IS NULL THEN 'open'
                 WHEN expires_at <= now() THEN 'expired'
                 ELSE 'sent' END AS status,
            count(*)::int AS n
       FROM migration.invitations
      WHERE ?::bigint IS NULL
         OR legacy_partner_id IN (SELECT legacy_partner_id FROM migration.wave_partners WHERE wave_id = ?::bigint)
      GROUP BY 1`,
    [options.waveId ?? null, options.waveId ?? null],
  );
  return rows.map((row) => ({ status: row.status, count: row.n }));
}
