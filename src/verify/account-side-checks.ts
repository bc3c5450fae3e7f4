import type { AccountRow, AccountUserRow, BuyerRow, UserRow } from '../core/target-model';
import { compareExpectedRows } from './compare-rows';
import type { MappedPartner } from './mapping';
import type { CheckResult } from './model';
import type { AccountSideRows } from './sql/read-marketplace-rows';

const ACCOUNT_COLUMNS: ReadonlyArray<keyof AccountRow & string> = [
  'legacy_partner_id',
  'type',
  'name',
  'status',
  'partner',
  'external_id',
  'mpn_id',
];
const BUYER_COLUMNS: ReadonlyArray<keyof BuyerRow & string> = [
  'legacy_partner_id',
  'account_id',
  'seller_id',
  'name',
  'tax_id',
  'address_line1',
  'city',
  'post_code',
  'country',
  'currency',
  'contact_email',
  'status',
];
const ACCOUNT_USER_COLUMNS: ReadonlyArray<keyof AccountUserRow & string> = [
  'legacy_user_id',
  'account_id',
  'user_id',
  'group_name',
  'status',
];
const USER_COLUMNS: ReadonlyArray<keyof UserRow & string> = ['email', 'first_name', 'last_name', 'status'];

/**
 * Mapping fidelity of a partner's account side, read whole (it is small): accounts, buyers,
 * account users and users as the transforms make them against the stored rows. `usersById`
 * holds the stored users of this partner's expected and stored memberships.
 */
export function accountSideChecks(
  partner: Pick<MappedPartner, 'partnerId' | 'partnerResult' | 'userResult'>,
  side: AccountSideRows,
  usersById: ReadonlyMap<string, UserRow>,
): CheckResult[] {
  const { partnerId, partnerResult, userResult } = partner;
  // A membership kept, `Deleted`, for a legacy user that no longer migrates is as it should be;
  // one of such a user still `Active` claims a migration that is not there, and is compared.
  const keptOut = new Set(
    [...userResult.skipped, ...userResult.quarantined].filter((p) => p.entity === 'user').map((p) => p.legacyKey),
  );
  const memberships = side.account_users.filter(
    (row) => !(row.status === 'Deleted' && keptOut.has(String(row.legacy_user_id))),
  );
  const expectedUsers = userResult.rows.users ?? [];
  const memberOf = new Set([...expectedUsers.map((user) => user.id), ...memberships.map((row) => row.user_id)]);
  const storedUsers = [...memberOf]
    .map((id) => usersById.get(id))
    .filter((user): user is UserRow => user !== undefined);
  const byLegacyUser = new Map(
    (userResult.rows.account_users ?? []).map((row) => [row.user_id, String(row.legacy_user_id)]),
  );
  return [
    compareExpectedRows<AccountRow>(partnerId, {
      check: 'mapping_fidelity',
      entity: 'partner',
      table: 'accounts',
      expected: partnerResult.rows.accounts ?? [],
      actual: side.accounts,
      columns: ACCOUNT_COLUMNS,
      idOf: (r) => r.id,
      legacyKeyOf: (r) => String(r.legacy_partner_id),
    }),
    compareExpectedRows<BuyerRow>(partnerId, {
      check: 'mapping_fidelity',
      entity: 'partner',
      table: 'buyers',
      expected: partnerResult.rows.buyers ?? [],
      actual: side.buyers,
      columns: BUYER_COLUMNS,
      idOf: (r) => r.id,
      legacyKeyOf: (r) => String(r.legacy_partner_id),
    }),
    compareExpectedRows<AccountUserRow>(partnerId, {
      check: 'mapping_fidelity',
      entity: 'user',
      table: 'account_users',
      expected: userResult.rows.account_users ?? [],
      actual: memberships,
      columns: ACCOUNT_USER_COLUMNS,
      idOf: (r) => r.id,
      legacyKeyOf: (r) => String(r.legacy_user_id),
    }),
    compareExpectedRows<UserRow>(partnerId, {
      check: 'mapping_fidelity',
      entity: 'user',
      table: 'users',
      expected: expectedUsers,
      // A user shared with other partners takes its names from the lowest legacy user:
      // compare names only where that is ours.
      actual: storedUsers.map((row) => {
        const mine = expectedUsers.find((user) => user.id === row.id);
        return mine && Number(row.source_legacy_user_id) !== mine.source_legacy_user_id
          ? {
              ...row,
              first_name: mine.first_name,
              last_name: mine.last_name,
              source_legacy_user_id: mine.source_legacy_user_id,
            }
          : row;
      }),
      columns: USER_COLUMNS,
      idOf: (r) => r.id,
      legacyKeyOf: (r) => byLegacyUser.get(r.id) ?? null,
    }),
  ];
}
