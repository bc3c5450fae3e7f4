import type { Knex } from 'knex';

/** Stamps one invitation (by id) revoked now: its token no longer accepted, the invitation never sent again. */
export async function revokeInvitation(db: Knex, invitationId: string): Promise<void> {
  await db('migration.invitations').update({ revoked_at: db.fn.now() }).where({ id: invitationId });
}
