import type { Knex } from 'knex';

/**
 * Records the invitation that replaces an account user's open one on a resend, under the resend's
 * event key, and returns its id; its token is recorded when it is sent. The open one must be
 * revoked first: an account user has one open invitation at most (a partial unique index).
 */
export async function insertResentInvitation(
  db: Knex,
  invitation: { accountUserId: string; partnerId: number; eventKey: string },
): Promise<string> {
  const [replacement] = await db('migration.invitations')
    .insert({
      account_user_id: invitation.accountUserId,
      legacy_partner_id: invitation.partnerId,
      event_key: invitation.eventKey,
    })
    .returning('id');
  return replacement.id;
}
