import type { Knex } from 'knex';

/**
 * Records an invitation revoked from the start, under `eventKey`: for an account user with none
 * recorded yet (not sent, or not cut over yet), so that no later send goes out.
 */
export async function insertRevokedInvitation(
  db: Knex,
  invitation: { accountUserId: string; partnerId: number; eventKey: string },
): Promise<void> {
  await db('migration.invitations').insert({
    account_user_id: invitation.accountUserId,
    legacy_partner_id: invitation.partnerId,
    event_key: invitation.eventKey,
    revoked_at: db.fn.now(),
  });
}
