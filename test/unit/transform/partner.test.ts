import { idFromLegacyInt } from '../../../src/core/ids';
import { decidePartner, transformPartner } from '../../../src/transform';
import { ctx, expectCountsInvariant, expectNoEmailInDetails, partner, sellerOf } from './fixtures';

describe('decidePartner: the first rule that matches decides', () => {
  it.each([
    ['Active', { Status: 'Active' }, 'migrated', undefined],
    ['status spelled loosely', { Status: ' active ' }, 'migrated', undefined],
    ['Suspended still migrates', { Status: 'Suspended' }, 'migrated', undefined],
    ['Closed', { Status: 'Closed' }, 'closed', 'partner_closed'],
    ['unknown status', { Status: 'Closd' }, 'quarantined', 'unknown_enum'],
    ['unknown status beats an invalid country', { Status: 'Gone', CountryCode: 'XX' }, 'quarantined', 'unknown_enum'],
    [
      'Closed beats an invalid country and currency',
      { Status: 'Closed', CountryCode: 'XX', CurrencyCode: 'X1' },
      'closed',
      'partner_closed',
    ],
    ['country that is no ISO code', { CountryCode: 'XX' }, 'quarantined', 'no_seller_for_country'],
    ['valid country without a seller', { CountryCode: 'KR' }, 'quarantined', 'no_seller_for_country'],
    ['blank country', { CountryCode: '  ' }, 'quarantined', 'no_seller_for_country'],
    ['country beats currency', { CountryCode: 'XX', CurrencyCode: 'X1' }, 'quarantined', 'no_seller_for_country'],
    ['invalid currency', { CurrencyCode: 'X1' }, 'quarantined', 'invalid_currency'],
    ['blank currency', { CurrencyCode: '   ' }, 'quarantined', 'invalid_currency'],
    ['UK is GB', { CountryCode: 'UK', CurrencyCode: 'gbp' }, 'migrated', undefined],
    ['lower-case padded codes', { CountryCode: 'de', CurrencyCode: ' eur' }, 'migrated', undefined],
  ] as const)('%s', (_label, over, outcome, reason) => {
    const decision = decidePartner(partner(over), ctx);
    expect(decision.outcome).toBe(outcome);
    expect(decision.reason).toBe(reason);
    if (outcome === 'migrated') {
      expect(decision.accountId).toBe('ACC-0000-0000-0000-0042');
      expect(decision.buyerId).toBe('BUY-0000-0000-0000-0042');
    } else {
      expect(decision).toMatchObject({ accountId: null, buyerId: null, sellerId: null });
    }
  });

  it('takes the seller of the normalised country', () => {
    expect(decidePartner(partner({ CountryCode: 'uk ' }), ctx).sellerId).toBe(sellerOf('GB'));
    expect(decidePartner(partner({ CountryCode: 'CH' }), ctx).sellerId).toBe(sellerOf('CH'));
  });

  it('is stable: the same partner always gets the same ids', () => {
    expect(decidePartner(partner(), ctx)).toEqual(decidePartner(partner(), ctx));
    expect(decidePartner(partner({ PartnerId: 7 }), ctx).accountId).toBe(idFromLegacyInt('account', 7));
    expect(decidePartner(partner({ PartnerId: 7 }), ctx).accountId).toMatch(/^ACC(-\d{4}){4}$/);
  });
});

describe('transformPartner', () => {
  it('makes the account and buyer of a migrated partner', () => {
    const { decision, result } = transformPartner(partner(), ctx);
    expect(result.rows.accounts).toEqual([
      {
        id: decision.accountId,
        legacy_partner_id: 42,
        type: 'Client',
        name: 'Acme AG',
        status: 'Active',
        partner: true,
        external_id: 'ACME-01',
        mpn_id: '1234567',
      },
    ]);
    expect(result.rows.buyers).toEqual([
      {
        id: decision.buyerId,
        legacy_partner_id: 42,
        account_id: decision.accountId,
        seller_id: sellerOf('CH'),
        name: 'Acme Holding AG',
        tax_id: 'CHE-123.456.789',
        address_line1: 'Bahnhofstrasse 1',
        city: 'Zürich',
        post_code: '8001',
        country: 'CH',
        currency: 'CHF',
        contact_email: 'billing@acme.ch',
        status: 'Active',
      },
    ]);
    expect(result.idMap).toEqual([{ legacyTable: 'partner', legacyKey: '42', marketplaceId: decision.accountId }]);
    expect(result.counts.partner).toEqual({ extracted: 1, loaded: 1, quarantined: 0, skipped: 0 });
    expect(result.findings).toEqual([]);
  });

  it('disables the account and buyer of a suspended partner', () => {
    const { result } = transformPartner(partner({ Status: 'SUSPENDED' }), ctx);
    expect(result.rows.accounts?.[0]?.status).toBe('Disabled');
    expect(result.rows.buyers?.[0]?.status).toBe('Disabled');
  });

  it.each([
    ['empty LegalName', ' ', 'Acme AG'],
    ['NULL LegalName', null, 'Acme AG'],
    ['LegalName', ' Acme Holding AG ', 'Acme Holding AG'],
  ])('buyer name from %s', (_label, legalName, expected) => {
    expect(transformPartner(partner({ LegalName: legalName }), ctx).result.rows.buyers?.[0]?.name).toBe(expected);
  });

  it.each([
    ['invalid e-mail: NULL and a finding', 'n/a', null, ['invalid_email']],
    ['no e-mail: NULL without a finding', null, null, []],
    ['blank e-mail: NULL without a finding', '  ', null, []],
    ['valid e-mail, normalised', ' Billing@Acme.CH ', 'billing@acme.ch', []],
  ])('%s', (_label, email, expected, codes) => {
    const { result } = transformPartner(partner({ PrimaryEmail: email }), ctx);
    expect(result.rows.buyers?.[0]?.contact_email).toBe(expected);
    expect(result.findings.map((finding) => finding.code)).toEqual(codes);
    expect(result.counts.partner?.loaded).toBe(1);
    expectNoEmailInDetails(result);
  });

  it('blank optional columns become NULL', () => {
    const { result } = transformPartner(
      partner({ MpnId: ' ', TaxId: null, AddressLine1: '', City: null, PostalCode: ' ' }),
      ctx,
    );
    expect(result.rows.accounts?.[0]?.mpn_id).toBeNull();
    expect(result.rows.buyers?.[0]).toMatchObject({ tax_id: null, address_line1: null, city: null, post_code: null });
  });

  it.each([
    ['Closed', { Status: 'Closed' }, 'skipped', 'partner_closed'],
    ['unknown status', { Status: 'Zombie' }, 'quarantined', 'unknown_enum'],
    ['no seller', { CountryCode: 'XX' }, 'quarantined', 'no_seller_for_country'],
    ['invalid currency', { CurrencyCode: 'ZZZ' }, 'quarantined', 'invalid_currency'],
  ] as const)('%s: no account or buyer, one %s row', (_label, over, list, reason) => {
    const raw = partner(over);
    const { result } = transformPartner(raw, ctx);
    expect(result.rows.accounts ?? []).toEqual([]);
    expect(result.rows.buyers ?? []).toEqual([]);
    expect(result.idMap).toEqual([]);
    expect(result[list]).toEqual([
      expect.objectContaining({ entity: 'partner', legacyKey: '42', legacyPartnerId: 42, reason, raw }),
    ]);
    expect(result.counts.partner).toEqual({
      extracted: 1,
      loaded: 0,
      quarantined: list === 'quarantined' ? 1 : 0,
      skipped: list === 'skipped' ? 1 : 0,
    });
    expectCountsInvariant(result);
  });
});
