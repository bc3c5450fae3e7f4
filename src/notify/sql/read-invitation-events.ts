import type { Knex } from 'knex';

/** An invitation's outbox row and its state. */
export interface InvitationEventRow {
  id: string;
  event_key: string;
  state: 'pending' | 'enqueued' | 'done' | 'failed';
}

/** The account user's invitation outbox rows, oldest first (through the partner's index). */
export async function readInvitationEvents(
  db: Knex,
  user: { accountUserId: string; partnerId: number },
): Promise<InvitationEventRow[]> {
  return db('migration.outbox')
    .select('id', 'event_key', 'state')
    .where({ legacy_partner_id: user.partnerId, kind: 'invitation' })
    .andWhereRaw(`payload->>'accountUserId' = ?`, [user.accountUserId])
    .orderBy('id');
}
