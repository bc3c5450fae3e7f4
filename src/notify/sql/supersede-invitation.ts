import type { Knex } from 'knex';

/** Marks a (revoked) invitation superseded by the one a resend recorded in its place. */
export async function supersedeInvitation(db: Knex, invitationId: string, replacementId: string): Promise<void> {
  await db('migration.invitations').update({ superseded_by: replacementId }).where({ id: invitationId });
}
