import type { Knex } from 'knex';

/**
 * Records the invitation of an account user by its token's SHA-256, before it is sent (a new
 * token replaces the one of an attempt that may not have arrived). Refused (false) when the
 * account user has accepted an invitation, or the operator revoked theirs (`revoked_at` with no
 * `superseded_by`): those are never sent again. An invitation superseded by a resend does not
 * block the one that replaced it, but is never sent again itself.
 */
export async function recordInvitation(
  db: Knex,
  invitation: { eventKey: string; accountUserId: string; partnerId: number; tokenSha256: string },
): Promise<boolean> {
  const closed = await db('migration.invitations')
    .first('id')
    .where({ account_user_id: invitation.accountUserId })
    .andWhere((q) =>
      q
        .whereNotNull('accepted_at')
        .orWhere((revoked) => revoked.whereNotNull('revoked_at').whereNull('superseded_by'))
        .orWhere((superseded) => superseded.where({ event_key: invitation.eventKey }).whereNotNull('superseded_by')),
    );
  if (closed) return false;
  await db.raw(
    `INSERT INTO migration.invitations (account_user_id, legacy_partner_id, event_key, token_sha256)
     VALUES (?, ?, ?, ?)
         ON CONFLICT (event_key) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256`,
    [invitation.accountUserId, invitation.partnerId, invitation.eventKey, invitation.tokenSha256],
  );
  return true;
}

/** Stamps a sent invitation and its account user: sent now, expiring `validityMs` later. */
export async function markInvitationSent(db: Knex, eventKey: string, validityMs: number): Promise<void> {
  await db.transaction(async (trx) => {
    const [row] = await trx('migration.invitations')
      .update({ sent_at: trx.fn.now(), expires_at: trx.raw(`now() + ? * interval '1 millisecond'`, [validityMs]) })
      .where({ event_key: eventKey })
      .returning(['account_user_id', 'sent_at', 'expires_at']);
    if (!row) return;
    await trx('marketplace.account_users')
      .update({ invited_at: row.sent_at, invitation_expires_at: row.expires_at })
      .where({ id: row.account_user_id });
  });
}
