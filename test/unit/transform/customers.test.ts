import { idFromLegacyInt } from '../../../src/core/ids';
import type { LegacyCustomer } from '../../../src/core/legacy-model';
import { licenseeLookup, transformCustomers } from '../../../src/transform';
import {
  closed,
  ctx,
  customer,
  expectCountsInvariant,
  expectNoEmailInDetails,
  findingCodes,
  migrated,
  partner,
  quarantined,
} from './fixtures';

const TENANT = '6f9619ff-8b86-d011-b42d-00c04fc964ff';

function outcomes(customers: LegacyCustomer[], decision = migrated): Array<[number, string]> {
  const result = transformCustomers(decision, partner(), customers, ctx);
  expectCountsInvariant(result);
  expectNoEmailInDetails(result);
  const byKey = new Map<string, string>();
  for (const row of result.rows.licensees ?? []) byKey.set(row.external_id, 'loaded');
  for (const problem of [...result.quarantined, ...result.skipped]) byKey.set(problem.legacyKey, problem.reason);
  return customers.map((c) => [c.CustomerId, byKey.get(String(c.CustomerId))!]);
}

describe('transformCustomers: rules in MAPPING.md order', () => {
  it.each<[string, LegacyCustomer[], Array<[number, string]>, typeof migrated?]>([
    ['a customer loads', [customer()], [[100, 'loaded']]],
    [
      'closed partner: skipped, even when soft-deleted',
      [customer({ IsDeleted: true })],
      [[100, 'partner_closed']],
      closed,
    ],
    ['quarantined partner', [customer()], [[100, 'partner_quarantined']], quarantined],
    ['soft-deleted', [customer({ IsDeleted: true })], [[100, 'soft_deleted']]],
    [
      'same tenant in another case: the lower CustomerId migrates, whatever the input order',
      [
        customer({ CustomerId: 200, TenantId: TENANT.toUpperCase() }),
        customer({ CustomerId: 100, TenantId: ` ${TENANT}` }),
      ],
      [
        [200, 'duplicate_tenant'],
        [100, 'loaded'],
      ],
    ],
    [
      'a soft-deleted twin is no duplicate',
      [customer({ CustomerId: 100, IsDeleted: true }), customer({ CustomerId: 200 })],
      [
        [100, 'soft_deleted'],
        [200, 'loaded'],
      ],
    ],
    [
      'three with one tenant',
      [customer({ CustomerId: 1 }), customer({ CustomerId: 2 }), customer({ CustomerId: 3 })],
      [
        [1, 'loaded'],
        [2, 'duplicate_tenant'],
        [3, 'duplicate_tenant'],
      ],
    ],
    [
      'no tenant twice is no duplicate',
      [customer({ CustomerId: 1, TenantId: null }), customer({ CustomerId: 2, TenantId: ' ' })],
      [
        [1, 'loaded'],
        [2, 'loaded'],
      ],
    ],
    [
      'unparseable tenants are not compared',
      [customer({ CustomerId: 1, TenantId: 'x' }), customer({ CustomerId: 2, TenantId: 'x' })],
      [
        [1, 'loaded'],
        [2, 'loaded'],
      ],
    ],
  ])('%s', (_label, customers, expected, decision = migrated) => {
    expect(outcomes(customers, decision)).toEqual(expected);
  });

  it('names the migrating twin in the duplicate detail', () => {
    const result = transformCustomers(
      migrated,
      partner(),
      [customer({ CustomerId: 1 }), customer({ CustomerId: 2 })],
      ctx,
    );
    expect(result.quarantined[0]).toMatchObject({
      legacyKey: '2',
      reason: 'duplicate_tenant',
      detail: expect.stringContaining('1'),
    });
  });
});

describe('transformCustomers: licensee rows', () => {
  it('maps a clean customer', () => {
    const result = transformCustomers(migrated, partner(), [customer()], ctx);
    expect(result.rows.licensees).toEqual([
      {
        id: idFromLegacyInt('licensee', 100),
        legacy_customer_id: 100,
        account_id: migrated.accountId,
        buyer_id: migrated.buyerId,
        seller_id: migrated.sellerId,
        name: 'Contoso GmbH',
        resale: true,
        external_id: '100',
        tenant_id: TENANT,
        primary_domain: 'contoso.ch',
        country: 'CH',
        city: 'Bern',
        contact_email: 'it@contoso.ch',
        status: 'Active',
      },
    ]);
    expect(result.idMap).toEqual([
      { legacyTable: 'customer', legacyKey: '100', marketplaceId: idFromLegacyInt('licensee', 100) },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.counts.customer).toEqual({ extracted: 1, loaded: 1, quarantined: 0, skipped: 0 });
  });

  it.each([
    ['invalid country: NULL + invalid_country', { CountryCode: 'XX' }, { country: null }, ['invalid_country']],
    ['UK is GB', { CountryCode: 'uk' }, { country: 'GB' }, []],
    ['no country: NULL, no finding', { CountryCode: null }, { country: null }, []],
    [
      'invalid e-mail: NULL + invalid_email',
      { ContactEmail: 'it at contoso' },
      { contact_email: null },
      ['invalid_email'],
    ],
    ['no e-mail: NULL, no finding', { ContactEmail: '' }, { contact_email: null }, []],
    ['unparseable tenant: NULL + invalid_guid', { TenantId: 'not-a-guid' }, { tenant_id: null }, ['invalid_guid']],
    ['32-digit tenant canonicalised', { TenantId: '6F9619FF8B86D011B42D00C04FC964FF' }, { tenant_id: TENANT }, []],
    [
      'every problem at once',
      { CountryCode: 'Q1', ContactEmail: 'n/a', TenantId: '?' },
      { country: null, contact_email: null, tenant_id: null },
      ['invalid_country', 'invalid_email', 'invalid_guid'],
    ],
  ])('%s', (_label, over, expected, codes) => {
    const result = transformCustomers(migrated, partner(), [customer(over)], ctx);
    expect(result.rows.licensees?.[0]).toMatchObject(expected);
    expect(findingCodes(result, '100')).toEqual(codes);
    expect(result.findings.every((finding) => finding.entity === 'customer' && finding.legacyPartnerId === 42)).toBe(
      true,
    );
    expectNoEmailInDetails(result);
  });
});

describe('licenseeLookup', () => {
  const customers = [
    customer({ CustomerId: 1 }),
    customer({ CustomerId: 2 }),
    customer({ CustomerId: 3, IsDeleted: true }),
    customer({ CustomerId: 4, TenantId: null }),
  ];

  it('holds exactly the customers that migrate', () => {
    expect([...licenseeLookup(migrated, customers)]).toEqual([
      [1, idFromLegacyInt('licensee', 1)],
      [4, idFromLegacyInt('licensee', 4)],
    ]);
    const loaded = transformCustomers(migrated, partner(), customers, ctx).rows.licensees!.map(
      (row) => row.legacy_customer_id,
    );
    expect([...licenseeLookup(migrated, customers).keys()]).toEqual(loaded);
  });

  it.each([[closed], [quarantined]])('is empty for a %j partner', (decision) => {
    expect(licenseeLookup(decision, customers).size).toBe(0);
  });
});
