import type { Knex } from 'knex';

/** A recorded invitation, as far as deciding whether it may be resent or revoked goes. */
export interface InvitationRow {
  id: string;
  event_key: string;
  accepted_at: Date | null;
  revoked_at: Date | null;
  superseded_by: string | null;
}

/** An account user's recorded invitations, oldest first. */
export async function readInvitations(db: Knex, accountUserId: string): Promise<InvitationRow[]> {
  return db('migration.invitations')
    .select('id', 'event_key', 'accepted_at', 'revoked_at', 'superseded_by')
    .where({ account_user_id: accountUserId })
    .orderBy('id');
}
