/** Legacy rows and contexts for the transform unit tests: valid by default, overridden per case. */
import type {
  LegacyCustomer,
  LegacyInvoice,
  LegacyInvoiceLine,
  LegacyOrder,
  LegacyOrderLine,
  LegacyPartner,
  LegacyUser,
} from '../../../src/core/legacy-model';
import type { BatchResult } from '../../../src/core/outcomes';
import type { PartnerDecision, SellerRef, TransformContext } from '../../../src/transform';

const SELLER_COUNTRIES = 'AT AU BE BR CA CH DE DK ES FI FR GB IE IN IT JP MX NL NO PL PT SE SG US ZA'.split(' ');

export const sellers: SellerRef[] = SELLER_COUNTRIES.map((country, index) => ({
  id: `SEL-0000-0000-0000-${String(index + 1).padStart(4, '0')}`,
  country,
  currencies: [country === 'CH' ? 'CHF' : 'EUR'],
}));

export const ctx: TransformContext = {
  timeZone: 'Europe/Zurich',
  sellersByCountry: new Map(sellers.map((seller) => [seller.country, seller])),
};

export const sellerOf = (country: string): string => ctx.sellersByCountry.get(country)!.id;

export function partner(over: Partial<LegacyPartner> = {}): LegacyPartner {
  return {
    PartnerId: 42,
    PartnerCode: ' acme-01 ',
    CompanyName: ' Acme AG ',
    LegalName: ' Acme Holding AG ',
    CountryCode: 'CH',
    CurrencyCode: 'CHF',
    MpnId: ' 1234567 ',
    TaxId: 'CHE-123.456.789',
    AddressLine1: ' Bahnhofstrasse 1 ',
    City: ' Zürich ',
    PostalCode: ' 8001 ',
    PrimaryEmail: ' Billing@Acme.CH ',
    Status: 'Active',
    PortalMode: 'Live',
    CreatedAt: '2015-06-01 09:00:00.000',
    ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
    RowVer: '1001',
    ...over,
  };
}

export function user(over: Partial<LegacyUser> = {}): LegacyUser {
  return {
    UserId: 1,
    PartnerId: 42,
    Email: 'anna@acme.ch',
    FirstName: ' Anna ',
    LastName: ' Muster ',
    Role: 'Admin',
    IsPrimary: true,
    IsActive: true,
    LastLoginAt: null,
    ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
    RowVer: '2001',
    ...over,
  };
}

export function customer(over: Partial<LegacyCustomer> = {}): LegacyCustomer {
  return {
    CustomerId: 100,
    PartnerId: 42,
    CustomerName: ' Contoso GmbH ',
    TenantId: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    PrimaryDomain: ' contoso.ch ',
    CountryCode: 'ch',
    City: ' Bern ',
    ContactEmail: 'IT@Contoso.ch',
    IsDeleted: false,
    CreatedAt: '2016-01-01 10:00:00.000',
    ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
    RowVer: '3001',
    ...over,
  };
}

export function order(over: Partial<LegacyOrder> = {}): LegacyOrder {
  return {
    OrderId: 500,
    OrderNumber: ' SO-500 ',
    PartnerId: 42,
    CustomerId: 100,
    OrderType: 'New',
    Status: 'Completed',
    OrderDate: '2024-01-15 12:00:00.000',
    CurrencyCode: 'CHF',
    TotalAmount: '30.0000',
    PoNumber: ' PO-1 ',
    CreatedBy: 'anna@acme.ch',
    ModifiedAtUtc: '2024-01-15T11:00:00.000Z',
    RowVer: '4001',
    ...over,
  };
}

export function orderLine(over: Partial<LegacyOrderLine> = {}): LegacyOrderLine {
  return {
    OrderLineId: 5000,
    OrderId: 500,
    LineNo: 1,
    Sku: ' CFQ7TTC0LF8Q ',
    ProductName: ' Microsoft 365 E3 ',
    Quantity: 3,
    UnitPrice: '10.0000',
    LineTotal: '30.0000',
    BillingFrequency: 'Monthly',
    TermMonths: 12,
    SubscriptionRef: ' SUB-A ',
    ModifiedAtUtc: '2024-01-15T11:00:00.000Z',
    RowVer: '4002',
    ...over,
  };
}

export function invoice(over: Partial<LegacyInvoice> = {}): LegacyInvoice {
  return {
    InvoiceId: 700,
    InvoiceNumber: ' INV-700 ',
    PartnerId: 42,
    DocumentType: 'Invoice',
    InvoiceDate: '2024-02-01',
    DueDate: '2024-03-02',
    CurrencyCode: 'chf',
    NetAmount: '100.0000',
    TaxAmount: '8.1000',
    GrossAmount: '108.1000',
    Status: 'Open',
    ModifiedAtUtc: '2024-02-01T00:00:00.000Z',
    RowVer: '5001',
    ...over,
  };
}

export function invoiceLine(over: Partial<LegacyInvoiceLine> = {}): LegacyInvoiceLine {
  return {
    InvoiceLineId: 7000,
    InvoiceId: 700,
    OrderId: 500,
    CustomerId: 100,
    Description: ' Microsoft 365 E3 ',
    Quantity: '10.0000',
    UnitPrice: '10.0000',
    Amount: '100.0000',
    TaxRate: '8.10',
    ModifiedAtUtc: '2024-02-01T00:00:00.000Z',
    RowVer: '5002',
    ...over,
  };
}

export const migrated: PartnerDecision = {
  partnerId: 42,
  outcome: 'migrated',
  accountId: 'ACC-0000-0000-0000-0042',
  buyerId: 'BUY-0000-0000-0000-0042',
  sellerId: sellerOf('CH'),
};
export const closed: PartnerDecision = {
  partnerId: 42,
  outcome: 'closed',
  accountId: null,
  buyerId: null,
  sellerId: null,
  reason: 'partner_closed',
};
export const quarantined: PartnerDecision = {
  partnerId: 42,
  outcome: 'quarantined',
  accountId: null,
  buyerId: null,
  sellerId: null,
  reason: 'no_seller_for_country',
};

/** Asserts `extracted = loaded + quarantined + skipped` for every entity, and that the counts match the recorded rows. */
export function expectCountsInvariant(result: BatchResult): void {
  for (const [entity, counts] of Object.entries(result.counts)) {
    expect(counts.extracted).toBe(counts.loaded + counts.quarantined + counts.skipped);
    expect(result.quarantined.filter((problem) => problem.entity === entity)).toHaveLength(counts.quarantined);
    expect(result.skipped.filter((problem) => problem.entity === entity)).toHaveLength(counts.skipped);
  }
}

/** Codes of the findings of one legacy key. */
export function findingCodes(result: BatchResult, legacyKey?: string): string[] {
  return result.findings
    .filter((finding) => legacyKey === undefined || finding.legacyKey === legacyKey)
    .map((finding) => finding.code)
    .sort();
}

/** No detail may carry an e-mail address (they end up in reports). */
export function expectNoEmailInDetails(result: BatchResult): void {
  for (const item of [...result.findings, ...result.quarantined, ...result.skipped]) {
    expect(item.detail).not.toMatch(/@/);
  }
}
