import type { Knex } from 'knex';
import { eventKeys } from '../event-key';

/**
 * Takes the transaction's advisory lock on an account user's invitations, held until it ends:
 * one account user's invitation changes at a time (an operator's resend beside another's revoke).
 */
export async function lockAccountUserInvitations(trx: Knex.Transaction, accountUserId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [eventKeys.invitation(accountUserId)]);
}
