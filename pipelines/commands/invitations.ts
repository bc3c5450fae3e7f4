import type { Knex } from 'knex';
import { UsageError } from '../../src/core/errors';
import { withLoadTransaction } from '../../src/load';
import {
  eventKeys,
  failInvitationEvents,
  insertResendEvent,
  insertResentInvitation,
  insertRevokedInvitation,
  lockAccountUserInvitations,
  readAccountUsers,
  readInvitationEvents,
  readInvitations,
  revokeInvitation,
  supersedeInvitation,
  type InvitationRow,
} from '../../src/notify';
import type { Services } from '../services';

/** Whose invitations: one account user, or every account user of a partner. Exactly one. */
export interface InvitationSelection {
  accountUserId?: string;
  partnerId?: number;
}

/**
 * Why an account user's invitation was left alone: `accepted` or `revoked` ones are never sent
 * again; `not-invited` means the partner is not cut over yet (no invitation recorded);
 * `in-flight` means an invitation is pending or being sent already (it carries a fresh token);
 * `failed` means the last one failed: `ppm notify retry --kind invitation` sends it again.
 */
export type InvitationSkipReason = 'accepted' | 'revoked' | 'not-invited' | 'in-flight' | 'failed';

export interface SkippedInvitation {
  accountUserId: string;
  partnerId: number;
  reason: InvitationSkipReason;
}

export interface ResendResult {
  /** Invitations recorded for sending again (a new outbox row each). */
  resent: number;
  /** The event keys of the new outbox rows. */
  eventKeys: string[];
  skipped: SkippedInvitation[];
}

export interface RevokeResult {
  /** Account users whose invitation is now revoked. */
  revoked: number;
  /** Invitation outbox rows not yet performed (pending or enqueued) left failed with reason `revoked`. */
  outboxFailed: number;
  skipped: SkippedInvitation[];
}

interface SelectedUser {
  accountUserId: string;
  partnerId: number;
}

/** The reason an outbox row of a revoked invitation is left failed with. */
export const REVOKED_REASON = 'revoked';

async function selectAccountUsers(db: Knex, selection: InvitationSelection): Promise<SelectedUser[]> {
  if ((selection.accountUserId === undefined) === (selection.partnerId === undefined))
    throw new UsageError('give exactly one of --account-user <id> or --partner <id>');
  const users = await readAccountUsers(db, selection);
  if (users.length === 0)
    throw new UsageError(
      selection.accountUserId !== undefined
        ? `no account user "${selection.accountUserId}" in the marketplace`
        : `partner ${selection.partnerId} has no account users in the marketplace (not migrated, or closed)`,
    );
  return users;
}

/** Accepted by the user, or revoked by an operator (a resend's superseded invitation is neither). */
function closedReason(invitations: InvitationRow[]): 'accepted' | 'revoked' | undefined {
  if (invitations.some((row) => row.accepted_at !== null)) return 'accepted';
  if (invitations.some((row) => row.revoked_at !== null && row.superseded_by === null)) return 'revoked';
  return undefined;
}

const isOpen = (row: InvitationRow) =>
  row.accepted_at === null && row.revoked_at === null && row.superseded_by === null;

/** The event key of the `n`th resend of an account user's invitation (no `:`, BullMQ job ids refuse it). */
export function resendEventKey(accountUserId: string, n: number): string {
  return `${eventKeys.invitation(accountUserId)}.resend.${n}`;
}

/** The next resend number after the resends among `eventKeysSoFar`. */
export function nextResendNumber(accountUserId: string, eventKeysSoFar: ReadonlyArray<string>): number {
  const prefix = `${eventKeys.invitation(accountUserId)}.resend.`;
  let highest = 0;
  for (const key of eventKeysSoFar) {
    if (!key.startsWith(prefix)) continue;
    const n = Number(key.slice(prefix.length));
    if (Number.isSafeInteger(n) && n > highest) highest = n;
  }
  return highest + 1;
}

/**
 * Sends the invitation of each selected account user again, with a new token and a new expiry
 * (set when it is sent): the open invitation is revoked and superseded by a new one, recorded
 * with a new outbox row (its payload the original invitation's, with the new event key) in the
 * same transaction. An accepted or revoked invitation is never resent, nor one still on its way
 * or failed; those are reported as skipped.
 */
export async function resendInvitations(services: Services, selection: InvitationSelection): Promise<ResendResult> {
  const { target } = services;
  const users = await selectAccountUsers(target, selection);
  const result: ResendResult = { resent: 0, eventKeys: [], skipped: [] };
  for (const user of users) {
    const outcome = await withLoadTransaction(
      target,
      async (trx): Promise<{ skipped: InvitationSkipReason } | { eventKey: string }> => {
        await lockAccountUserInvitations(trx, user.accountUserId);
        const invitations = await readInvitations(trx, user.accountUserId);
        const closed = closedReason(invitations);
        if (closed) return { skipped: closed };
        const effects = await readInvitationEvents(trx, user);
        const original =
          effects.find((row) => row.event_key === eventKeys.invitation(user.accountUserId)) ?? effects[0];
        const latest = effects[effects.length - 1];
        if (!original || !latest) return { skipped: 'not-invited' };
        if (latest.state === 'pending' || latest.state === 'enqueued') return { skipped: 'in-flight' };
        if (latest.state === 'failed') return { skipped: 'failed' };
        const eventKey = resendEventKey(
          user.accountUserId,
          nextResendNumber(
            user.accountUserId,
            effects.map((row) => row.event_key),
          ),
        );
        const open = invitations.find(isOpen);
        // Closed first: one open invitation per account user (a partial unique index).
        if (open) await revokeInvitation(trx, open.id);
        const replacement = await insertResentInvitation(trx, { ...user, eventKey });
        if (open) await supersedeInvitation(trx, open.id, replacement);
        await insertResendEvent(trx, original.id, eventKey);
        return { eventKey };
      },
    );
    if ('skipped' in outcome) {
      result.skipped.push({ ...user, reason: outcome.skipped });
    } else {
      result.resent += 1;
      result.eventKeys.push(outcome.eventKey);
    }
  }
  return result;
}

/**
 * Revokes the invitation of each selected account user: the open one is revoked (or, when none
 * was recorded yet, a revoked one is recorded, so no later send goes out), and their invitation
 * outbox rows not yet performed are left failed with reason `revoked`. `marketplace.account_users`
 * is left as it is: its `invitation_status` has no value for a revoked invitation. An accepted
 * invitation, or one revoked before, is reported as skipped.
 */
export async function revokeInvitations(services: Services, selection: InvitationSelection): Promise<RevokeResult> {
  const { target } = services;
  const users = await selectAccountUsers(target, selection);
  const result: RevokeResult = { revoked: 0, outboxFailed: 0, skipped: [] };
  for (const user of users) {
    const outcome = await withLoadTransaction(target, async (trx): Promise<'accepted' | 'revoked' | number> => {
      await lockAccountUserInvitations(trx, user.accountUserId);
      const invitations = await readInvitations(trx, user.accountUserId);
      const closed = closedReason(invitations);
      if (closed) return closed;
      const open = invitations.find(isOpen);
      if (open) {
        await revokeInvitation(trx, open.id);
      } else {
        // Nothing recorded yet (not sent, or not cut over yet): a revoked row keeps any later send from going out.
        const effects = await readInvitationEvents(trx, user);
        const taken = new Set(invitations.map((row) => row.event_key));
        const base = eventKeys.invitation(user.accountUserId);
        const eventKey =
          [...effects.map((row) => row.event_key).reverse(), base, `${base}.revoked`].find((key) => !taken.has(key)) ??
          `${base}.revoked.${invitations.length}`;
        await insertRevokedInvitation(trx, { ...user, eventKey });
      }
      return failInvitationEvents(trx, user, REVOKED_REASON);
    });
    if (typeof outcome === 'number') {
      result.revoked += 1;
      result.outboxFailed += outcome;
    } else {
      result.skipped.push({ ...user, reason: outcome });
    }
  }
  return result;
}
