import { idFromLegacyInt, idFromText } from '../../../src/core/ids';
import type { LegacyUser } from '../../../src/core/legacy-model';
import { transformUsers } from '../../../src/transform';
import { closed, ctx, expectCountsInvariant, expectNoEmailInDetails, migrated, quarantined, user } from './fixtures';

type Expected = Array<[userId: number, outcome: string]>;

function outcomes(users: LegacyUser[], decision = migrated): Expected {
  const result = transformUsers(decision, users, ctx);
  expectCountsInvariant(result);
  expectNoEmailInDetails(result);
  const byKey = new Map<string, string>();
  for (const row of result.rows.account_users ?? []) byKey.set(String(row.legacy_user_id), 'loaded');
  for (const problem of [...result.quarantined, ...result.skipped]) byKey.set(problem.legacyKey, problem.reason);
  expect(byKey.size).toBe(users.length);
  return users.map((u) => [u.UserId, byKey.get(String(u.UserId))!]);
}

describe('transformUsers: rules in MAPPING.md order', () => {
  it.each<[string, LegacyUser[], Expected, typeof migrated?]>([
    ['an active user with a valid e-mail loads', [user()], [[1, 'loaded']]],
    [
      'closed partner: skipped even with an invalid e-mail',
      [user({ Email: 'n/a' }), user({ UserId: 2, IsActive: false })],
      [
        [1, 'partner_closed'],
        [2, 'partner_closed'],
      ],
      closed,
    ],
    [
      'quarantined partner: quarantined even when inactive',
      [user({ IsActive: false })],
      [[1, 'partner_quarantined']],
      quarantined,
    ],
    ['inactive', [user({ IsActive: false })], [[1, 'inactive_user']]],
    ['inactive beats an invalid e-mail', [user({ IsActive: false, Email: 'n/a' })], [[1, 'inactive_user']]],
    ['invalid e-mail', [user({ Email: 'n/a' })], [[1, 'invalid_email']]],
    ['empty e-mail', [user({ Email: '  ' })], [[1, 'invalid_email']]],
    ['invalid e-mail beats an unknown role', [user({ Email: 'anna', Role: 'Boss' })], [[1, 'invalid_email']]],
    ['unknown role', [user({ Role: 'Boss' })], [[1, 'unknown_enum']]],
    [
      'same e-mail after normalisation: the higher UserId is the duplicate',
      [user({ UserId: 9, Email: ' ANNA@acme.ch ' }), user({ UserId: 3 })],
      [
        [9, 'duplicate_user'],
        [3, 'loaded'],
      ],
    ],
    [
      'an inactive first user does not make the second a duplicate',
      [user({ UserId: 1, IsActive: false }), user({ UserId: 2 })],
      [
        [1, 'inactive_user'],
        [2, 'loaded'],
      ],
    ],
    [
      'duplicate beats an unknown role',
      [user({ UserId: 1 }), user({ UserId: 2, Role: 'Boss' })],
      [
        [1, 'loaded'],
        [2, 'duplicate_user'],
      ],
    ],
    [
      'a first user with an unknown role still claims its e-mail',
      [user({ UserId: 1, Role: 'Boss' }), user({ UserId: 2 })],
      [
        [1, 'unknown_enum'],
        [2, 'duplicate_user'],
      ],
    ],
    [
      'three with one address',
      [user({ UserId: 3 }), user({ UserId: 1 }), user({ UserId: 2 })],
      [
        [3, 'duplicate_user'],
        [1, 'loaded'],
        [2, 'duplicate_user'],
      ],
    ],
    [
      'different addresses all load',
      [user({ UserId: 1 }), user({ UserId: 2, Email: 'ben@acme.ch' })],
      [
        [1, 'loaded'],
        [2, 'loaded'],
      ],
    ],
  ])('%s', (_label, users, expected, decision = migrated) => {
    expect(outcomes(users, decision)).toEqual(expected);
  });

  it.each([
    ['Admin', 'Administrators'],
    [' admin ', 'Administrators'],
    ['Finance', 'Users'],
    ['Sales', 'Users'],
    ['ReadOnly', 'Users'],
    ['read only', 'Users'],
  ])('role %j -> group %j', (role, group) => {
    expect(transformUsers(migrated, [user({ Role: role })], ctx).rows.account_users?.[0]?.group_name).toBe(group);
  });
});

describe('transformUsers: rows and ids', () => {
  it('makes one user per e-mail and one invited account user per legacy user', () => {
    const result = transformUsers(migrated, [user({ UserId: 17, Email: ' Anna@ACME.ch ' })], ctx);
    const userId = idFromText('user', 'anna@acme.ch');
    expect(result.rows.users).toEqual([
      {
        id: userId,
        email: 'anna@acme.ch',
        first_name: 'Anna',
        last_name: 'Muster',
        status: 'Active',
        source_legacy_user_id: 17,
      },
    ]);
    expect(result.rows.account_users).toEqual([
      {
        id: idFromLegacyInt('accountUser', 17),
        legacy_user_id: 17,
        account_id: migrated.accountId,
        user_id: userId,
        group_name: 'Administrators',
        invitation_status: 'Invited',
        invited_at: null,
        invitation_expires_at: null,
        status: 'Active',
      },
    ]);
    expect(result.idMap).toEqual([
      { legacyTable: 'user', legacyKey: '17', marketplaceId: idFromLegacyInt('accountUser', 17) },
      { legacyTable: 'user_email', legacyKey: 'anna@acme.ch', marketplaceId: userId },
    ]);
    expect(result.counts.user).toEqual({ extracted: 1, loaded: 1, quarantined: 0, skipped: 0 });
  });

  it('gives an address used by two partners the same user id', () => {
    const other = { ...migrated, partnerId: 43, accountId: idFromLegacyInt('account', 43) };
    const a = transformUsers(migrated, [user({ UserId: 1, Email: 'Anna@acme.ch' })], ctx);
    const b = transformUsers(other, [user({ UserId: 2, PartnerId: 43, Email: 'anna@ACME.ch' })], ctx);
    expect(a.rows.users?.[0]?.id).toBe(b.rows.users?.[0]?.id);
    expect(a.rows.account_users?.[0]?.id).not.toBe(b.rows.account_users?.[0]?.id);
  });

  it('blank names become NULL; quarantine rows carry the raw row', () => {
    const raw = user({ UserId: 5, Email: 'bad' });
    const result = transformUsers(migrated, [user({ FirstName: ' ', LastName: null }), raw], ctx);
    expect(result.rows.users?.[0]).toMatchObject({ first_name: null, last_name: null });
    expect(result.quarantined).toEqual([
      { entity: 'user', legacyKey: '5', legacyPartnerId: 42, reason: 'invalid_email', detail: expect.any(String), raw },
    ]);
  });

  it('reports zero counts for a partner without users', () => {
    expect(transformUsers(migrated, [], ctx).counts.user).toEqual({
      extracted: 0,
      loaded: 0,
      quarantined: 0,
      skipped: 0,
    });
  });
});
