import {
  licenseeLookup,
  refusalKey,
  transformCustomers,
  transformPartner,
  transformUsers,
  type TransformContext,
} from '../../../src/transform';
import { ctx, customer, expectCountsInvariant, migrated, partner, user } from './fixtures';

/** Rows the target refused come back to the transforms as data: quarantined `target_refused`, the rest as before. */
const refusing = (...keys: Array<[Parameters<typeof refusalKey>[0], string]>): TransformContext => ({
  ...ctx,
  refusedRows: new Map(keys.map(([entity, key]) => [refusalKey(entity, key), `${entity} ${key} refused`])),
});

describe('rows the target refused', () => {
  it('quarantine their partner, whose users and customers follow it', () => {
    const legacy = partner();
    const context = refusing(['partner', String(legacy.PartnerId)]);
    const { decision, result } = transformPartner(legacy, context);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'target_refused', accountId: null });
    expect(result.rows).toEqual({});
    expect(result.quarantined).toEqual([
      expect.objectContaining({
        entity: 'partner',
        reason: 'target_refused',
        detail: `partner ${legacy.PartnerId} refused`,
      }),
    ]);
    const users = transformUsers(decision, [user()], context);
    expect(users.quarantined.map((problem) => problem.reason)).toEqual(['partner_quarantined']);
    expect(licenseeLookup(decision, [customer()], context).size).toBe(0);
  });

  it('an earlier rule still decides first', () => {
    const legacy = partner({ Status: 'Closed' });
    const { decision } = transformPartner(legacy, refusing(['partner', String(legacy.PartnerId)]));
    expect(decision).toMatchObject({ outcome: 'closed', reason: 'partner_closed' });
  });

  it('quarantine one user, the others load', () => {
    const users = [user({ UserId: 1, Email: 'a@example.com' }), user({ UserId: 2, Email: 'b@example.com' })];
    const result = transformUsers(migrated, users, refusing(['user', '2']));
    expectCountsInvariant(result);
    expect(result.rows.account_users?.map((row) => row.legacy_user_id)).toEqual([1]);
    expect(result.quarantined).toEqual([expect.objectContaining({ legacyKey: '2', reason: 'target_refused' })]);
  });

  it('quarantine one customer, which then has no licensee for orders and the replay', () => {
    const customers = [customer({ CustomerId: 100 }), customer({ CustomerId: 101, TenantId: null })];
    const context = refusing(['customer', '101']);
    const result = transformCustomers(migrated, partner(), customers, context);
    expectCountsInvariant(result);
    expect(result.rows.licensees?.map((row) => row.legacy_customer_id)).toEqual([100]);
    expect(result.quarantined).toEqual([expect.objectContaining({ legacyKey: '101', reason: 'target_refused' })]);
    expect([...licenseeLookup(migrated, customers, context).keys()]).toEqual([100]);
    expect([...licenseeLookup(migrated, customers).keys()]).toEqual([100, 101]);
  });
});
