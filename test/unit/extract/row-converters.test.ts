import { ContractViolationError } from '../../../src/core/errors';
import * as mariadb from '../../../src/extract/mariadb/convert-row';
import * as sqlServer from '../../../src/extract/mssql/convert-row';

const maria = { ...mariadb.converters, toLocalDateTime: mariadb.toLocalDateTime };
const mssql = { ...sqlServer.converters, toLocalDateTime: sqlServer.toLocalDateTime };

describe('MariaDB row converters', () => {
  it.each([
    ['2024-03-31 02:30:00', '2024-03-31 02:30:00.000'],
    ['1900-01-01 00:00:00', '1900-01-01 00:00:00.000'],
    ['2024-03-31 02:30:00.5', '2024-03-31 02:30:00.500'],
    ['2024-03-31 02:30:00.123456', '2024-03-31 02:30:00.123'],
  ])('local DATETIME %s -> %s', (raw, expected) => expect(maria.toLocalDateTime(raw)).toBe(expected));

  it('turns UTC DATETIME(3) text into ISO 8601 with Z', () => {
    expect(maria.convertValue('utc', '2024-01-31 10:00:00.123')).toBe('2024-01-31T10:00:00.123Z');
    expect(maria.convertValue('utc', '2024-01-31 10:00:00')).toBe('2024-01-31T10:00:00.000Z');
  });

  it('converts a raw order line and keeps text as written', () => {
    const line = maria.toLegacyOrderLine({
      OrderLineId: 1,
      OrderId: 2,
      LineNo: 1,
      Sku: 'SKU ',
      ProductName: 'Teams 🚀 ',
      Quantity: 3,
      UnitPrice: '10.3333',
      LineTotal: '31.0000',
      BillingFrequency: 'monthly ',
      TermMonths: null,
      SubscriptionRef: null,
      ModifiedAtUtc: '2024-01-01 00:00:00.000',
      RowVer: '18446744073709551615',
    });
    expect(line).toEqual({
      OrderLineId: 1,
      OrderId: 2,
      LineNo: 1,
      Sku: 'SKU ',
      ProductName: 'Teams 🚀 ',
      Quantity: 3,
      UnitPrice: '10.3333',
      LineTotal: '31.0000',
      BillingFrequency: 'monthly ',
      TermMonths: null,
      SubscriptionRef: null,
      ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
      RowVer: '18446744073709551615',
    });
  });

  it('maps TINYINT(1) to booleans and keeps GUID case', () => {
    const customer = maria.toLegacyCustomer({
      CustomerId: 1,
      PartnerId: 1,
      CustomerName: 'x',
      TenantId: 'AbCd0000-0000-0000-0000-00000000000F',
      PrimaryDomain: null,
      CountryCode: null,
      City: null,
      ContactEmail: null,
      IsDeleted: 1,
      CreatedAt: '1900-01-01 00:00:00',
      ModifiedAtUtc: '2020-01-01 00:00:00.000',
      RowVer: '5',
    });
    expect(customer.IsDeleted).toBe(true);
    expect(customer.TenantId).toBe('AbCd0000-0000-0000-0000-00000000000F');
    expect(customer.CreatedAt).toBe('1900-01-01 00:00:00.000');
    expect(maria.convertValue('bool', 0)).toBe(false);
  });

  it('converts a raw invoice with calendar dates and negative money', () => {
    const invoice = maria.toLegacyInvoice({
      InvoiceId: 1,
      InvoiceNumber: 'INV-1',
      PartnerId: 1,
      DocumentType: 'CreditNote',
      InvoiceDate: '2024-02-29',
      DueDate: null,
      CurrencyCode: 'CHF',
      NetAmount: '-100.5000',
      TaxAmount: '-8.1400',
      GrossAmount: '-108.6400',
      Status: 'Open',
      ModifiedAtUtc: '2024-03-01 00:00:00.000',
      RowVer: '9',
    });
    expect(invoice).toMatchObject({ InvoiceDate: '2024-02-29', DueDate: null, NetAmount: '-100.5000' });
  });

  it('refuses a row that breaks the contract, naming the key and the column but no value', () => {
    const call = () =>
      maria.toLegacyOrder({
        OrderId: 9,
        OrderNumber: 'SO-9',
        PartnerId: 1,
        CustomerId: null,
        OrderType: 'New',
        Status: 'x',
        OrderDate: '0000-00-00 00:00:00',
        CurrencyCode: 'CHF',
        TotalAmount: 12.5,
        PoNumber: null,
        CreatedBy: 'secret@example.com',
        ModifiedAtUtc: '2024-01-01 00:00:00.000',
        RowVer: '1',
      });
    expect(call).toThrow(ContractViolationError);
    expect(call).toThrow(/Orders row OrderId=9 .*TotalAmount/);
    expect(call).not.toThrow(/secret@example\.com/);
  });
});

describe('SQL Server row converters', () => {
  it.each([
    ['2024-03-31 02:30:00.000', '2024-03-31 02:30:00.000'],
    ['1900-01-01 00:00:00.000', '1900-01-01 00:00:00.000'],
    ['2024-03-31 02:30:00.997', '2024-03-31 02:30:00.997'],
    ['2024-03-31 02:30:00', '2024-03-31 02:30:00.000'],
    ['2024-03-31 02:30:00.1234567', '2024-03-31 02:30:00.123'],
  ])('style 121 %s -> %s', (raw, expected) => expect(mssql.toLocalDateTime(raw)).toBe(expected));

  it('converts a raw partner row (text from CONVERT, BIT as boolean)', () => {
    const user = mssql.toLegacyUser({
      UserId: 1,
      PartnerId: 2,
      Email: ' A@B.CH ',
      FirstName: null,
      LastName: 'Müller',
      Role: 'Admin',
      IsPrimary: true,
      IsActive: false,
      LastLoginAt: '2023-10-29 02:30:00.000',
      ModifiedAtUtc: '2023-10-29 01:30:00.000',
      RowVer: '9007199254740993',
    });
    expect(user).toEqual({
      UserId: 1,
      PartnerId: 2,
      Email: ' A@B.CH ',
      FirstName: null,
      LastName: 'Müller',
      Role: 'Admin',
      IsPrimary: true,
      IsActive: false,
      LastLoginAt: '2023-10-29 02:30:00.000',
      ModifiedAtUtc: '2023-10-29T01:30:00.000Z',
      RowVer: '9007199254740993',
    });
  });

  it('keeps CHAR padding of text columns but not of converted values', () => {
    const partner = mssql.toLegacyPartner({
      PartnerId: 1,
      PartnerCode: 'acme-01 ',
      CompanyName: 'Acme',
      LegalName: null,
      CountryCode: 'ch',
      CurrencyCode: 'eu ',
      MpnId: null,
      TaxId: null,
      AddressLine1: null,
      City: null,
      PostalCode: null,
      PrimaryEmail: null,
      Status: 'Active',
      PortalMode: 'Live',
      CreatedAt: '1900-01-01 00:00:00.000',
      ModifiedAtUtc: '2024-01-31 10:00:00.000',
      RowVer: '1',
    });
    expect(partner.CurrencyCode).toBe('eu ');
    expect(partner.PartnerCode).toBe('acme-01 ');
    expect(mssql.convertValue('guid', 'ABCDEF01-2345-6789-ABCD-EF0123456789')).toBe(
      'ABCDEF01-2345-6789-ABCD-EF0123456789',
    );
  });

  it('refuses a float where money text is due (a missed CONVERT)', () => {
    expect(() =>
      mssql.toLegacyInvoiceLine({
        InvoiceLineId: 1,
        InvoiceId: 1,
        OrderId: null,
        CustomerId: null,
        Description: 'x',
        Quantity: '1.0000',
        UnitPrice: 0.1,
        Amount: '0.1000',
        TaxRate: '8.10',
        ModifiedAtUtc: '2024-01-01 00:00:00.000',
        RowVer: '1',
      }),
    ).toThrow(ContractViolationError);
  });
});
