/** Partner users -> users and account users (MAPPING.md, "Partner users -> users and account users"). */
import { idFromLegacyInt, idFromText } from '../core/ids';
import type { LegacyUser } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import { BatchBuilder } from './batch-builder';
import { refusalOf, type TransformContext } from './context';
import { ENUMS, matchEnum } from './enums';
import { normaliseEmail, optionalText, quoteForDetail } from './normalise';
import type { PartnerDecision } from './partner';
import { gateOnPartner } from './partner-gate';

/**
 * All users of one partner at once: duplicate detection needs the whole set. Rules apply in
 * MAPPING.md order, users in UserId order: partner closed / quarantined, inactive, invalid
 * e-mail, duplicate e-mail (among users that passed the earlier rules), unknown role, refused by
 * the target.
 */
export function transformUsers(decision: PartnerDecision, users: LegacyUser[], ctx: TransformContext): BatchResult {
  const batch = new BatchBuilder();
  batch.counts('user');
  const seenEmails = new Set<string>();
  const sorted = [...users].sort((a, b) => a.UserId - b.UserId);
  for (const user of sorted) {
    const ref = { entity: 'user' as const, legacyKey: String(user.UserId), legacyPartnerId: user.PartnerId };
    if (gateOnPartner(batch, decision, ref, user)) continue;
    if (!user.IsActive) {
      batch.skip(ref, 'inactive_user', 'user is inactive (IsActive = 0)', user);
      continue;
    }
    const email = normaliseEmail(user.Email);
    if (!email.ok) {
      batch.quarantine(
        ref,
        'invalid_email',
        email.absent ? 'e-mail address is empty' : 'e-mail address is not valid',
        user,
      );
      continue;
    }
    if (seenEmails.has(email.value)) {
      batch.skip(
        ref,
        'duplicate_user',
        'another user of this partner with a lower UserId has the same e-mail address',
        user,
      );
      continue;
    }
    seenEmails.add(email.value);
    const role = matchEnum(ENUMS.userRole, user.Role);
    if (role === undefined) {
      batch.quarantine(ref, 'unknown_enum', `Role ${quoteForDetail(user.Role)} is not a known role`, user);
      continue;
    }
    const refused = refusalOf(ctx, 'user', ref.legacyKey);
    if (refused !== undefined) {
      batch.quarantine(ref, 'target_refused', refused, user);
      continue;
    }
    const userId = idFromText('user', email.value);
    const accountUserId = idFromLegacyInt('accountUser', user.UserId);
    batch.rows('users').push({
      id: userId,
      email: email.value,
      first_name: optionalText(user.FirstName),
      last_name: optionalText(user.LastName),
      status: 'Active',
      source_legacy_user_id: user.UserId,
    });
    batch.rows('account_users').push({
      id: accountUserId,
      legacy_user_id: user.UserId,
      account_id: decision.accountId!,
      user_id: userId,
      group_name: role === 'Admin' ? 'Administrators' : 'Users',
      invitation_status: 'Invited',
      invited_at: null,
      invitation_expires_at: null,
      status: 'Active',
    });
    batch.mapId('user', ref.legacyKey, accountUserId);
    batch.mapId('user_email', email.value, userId);
    batch.loaded('user');
  }
  return batch.result;
}
