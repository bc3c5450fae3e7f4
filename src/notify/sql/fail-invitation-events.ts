import type { Knex } from 'knex';

/**
 * Leaves the account user's invitation outbox rows not yet performed (pending or enqueued)
 * failed with `reason`, so none is sent; returns how many.
 */
export async function failInvitationEvents(
  db: Knex,
  user: { accountUserId: string; partnerId: number },
  reason: string,
): Promise<number> {
  const failed: unknown[] = await db('migration.outbox')
    .update({ state: 'failed', failed_at: db.fn.now(), last_error: reason })
    .where({ legacy_partner_id: user.partnerId, kind: 'invitation' })
    .andWhereRaw(`payload->>'accountUserId' = ?`, [user.accountUserId])
    .whereIn('state', ['pending', 'enqueued'])
    .returning('id');
  return failed.length;
}
