import { MAX_CHUNK_ROWS, SEED_TABLES, type SeedRow, type SeedTable } from '../../../src/seed';
import { collectPortal } from './portal-fixture';

/** Column sizes of migrations/legacy mariadb.sql (VARCHAR/CHAR lengths, in UTF-16 units: stricter than MariaDB's characters, equal to SQL Server's NVARCHAR). */
const COLUMN_SIZES: Record<SeedTable, Record<string, number>> = {
  Partners: {
    PartnerCode: 20,
    CompanyName: 200,
    LegalName: 200,
    CountryCode: 2,
    CurrencyCode: 3,
    MpnId: 20,
    TaxId: 40,
    AddressLine1: 200,
    City: 100,
    PostalCode: 20,
    PrimaryEmail: 320,
    Status: 20,
    PortalMode: 20,
  },
  PartnerUsers: { Email: 320, FirstName: 100, LastName: 100, Role: 20 },
  Customers: { CustomerName: 200, TenantId: 36, PrimaryDomain: 255, CountryCode: 2, City: 100, ContactEmail: 320 },
  Orders: { OrderNumber: 30, OrderType: 20, Status: 20, CurrencyCode: 3, PoNumber: 50, CreatedBy: 320 },
  OrderLines: { Sku: 50, ProductName: 200, BillingFrequency: 10, SubscriptionRef: 64 },
  Invoices: { InvoiceNumber: 30, DocumentType: 20, CurrencyCode: 3, Status: 20 },
  InvoiceLines: { Description: 400 },
};

const COLUMNS: Record<SeedTable, string[]> = {
  Partners: [
    'PartnerId',
    'PartnerCode',
    'CompanyName',
    'LegalName',
    'CountryCode',
    'CurrencyCode',
    'MpnId',
    'TaxId',
    'AddressLine1',
    'City',
    'PostalCode',
    'PrimaryEmail',
    'Status',
    'PortalMode',
    'CreatedAt',
    'ModifiedAtUtc',
  ],
  PartnerUsers: [
    'UserId',
    'PartnerId',
    'Email',
    'FirstName',
    'LastName',
    'Role',
    'IsPrimary',
    'IsActive',
    'LastLoginAt',
    'ModifiedAtUtc',
  ],
  Customers: [
    'CustomerId',
    'PartnerId',
    'CustomerName',
    'TenantId',
    'PrimaryDomain',
    'CountryCode',
    'City',
    'ContactEmail',
    'IsDeleted',
    'CreatedAt',
    'ModifiedAtUtc',
  ],
  Orders: [
    'OrderId',
    'OrderNumber',
    'PartnerId',
    'CustomerId',
    'OrderType',
    'Status',
    'OrderDate',
    'CurrencyCode',
    'TotalAmount',
    'PoNumber',
    'CreatedBy',
    'ModifiedAtUtc',
  ],
  OrderLines: [
    'OrderLineId',
    'OrderId',
    'LineNo',
    'Sku',
    'ProductName',
    'Quantity',
    'UnitPrice',
    'LineTotal',
    'BillingFrequency',
    'TermMonths',
    'SubscriptionRef',
    'ModifiedAtUtc',
  ],
  Invoices: [
    'InvoiceId',
    'InvoiceNumber',
    'PartnerId',
    'DocumentType',
    'InvoiceDate',
    'DueDate',
    'CurrencyCode',
    'NetAmount',
    'TaxAmount',
    'GrossAmount',
    'Status',
    'ModifiedAtUtc',
  ],
  InvoiceLines: [
    'InvoiceLineId',
    'InvoiceId',
    'OrderId',
    'CustomerId',
    'Description',
    'Quantity',
    'UnitPrice',
    'Amount',
    'TaxRate',
    'ModifiedAtUtc',
  ],
};

const KEYS: Record<SeedTable, string> = {
  Partners: 'PartnerId',
  PartnerUsers: 'UserId',
  Customers: 'CustomerId',
  Orders: 'OrderId',
  OrderLines: 'OrderLineId',
  Invoices: 'InvoiceId',
  InvoiceLines: 'InvoiceLineId',
};
/** Foreign keys the DDL declares (Orders.CustomerId deliberately has none), plus the invoice lines' references. */
const PARENTS: [SeedTable, string, SeedTable][] = [
  ['PartnerUsers', 'PartnerId', 'Partners'],
  ['Customers', 'PartnerId', 'Partners'],
  ['Orders', 'PartnerId', 'Partners'],
  ['OrderLines', 'OrderId', 'Orders'],
  ['Invoices', 'PartnerId', 'Partners'],
  ['InvoiceLines', 'InvoiceId', 'Invoices'],
  ['InvoiceLines', 'OrderId', 'Orders'],
  ['InvoiceLines', 'CustomerId', 'Customers'],
];

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL4 = /^-?\d{1,15}\.\d{4}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

describe('a generated portal (200 partners)', () => {
  const portal = collectPortal({ partners: 200, seed: 1 });
  const keys = new Map(
    SEED_TABLES.map((table) => [table, new Set(portal.rows[table].map((row) => row[KEYS[table]] as number))]),
  );

  it('yields chunks of at most 5000 rows, every row after the rows it references', () => {
    const seen = new Map(SEED_TABLES.map((table) => [table, new Set<number>()]));
    const early: string[] = [];
    for (const chunk of portal.chunks) {
      expect(chunk.rows.length).toBeGreaterThan(0);
      expect(chunk.rows.length).toBeLessThanOrEqual(MAX_CHUNK_ROWS);
      for (const [child, column, parent] of PARENTS) {
        if (child !== chunk.table) continue;
        for (const row of chunk.rows) {
          if (row[column] !== null && !seen.get(parent)!.has(row[column] as number))
            early.push(`${child}.${column}=${row[column]}`);
        }
      }
      for (const row of chunk.rows) seen.get(chunk.table)!.add(row[KEYS[chunk.table]] as number);
    }
    expect(early).toEqual([]);
  });

  it('gives every row its explicit, unique, increasing primary key and the legacy columns exactly (no RowVer)', () => {
    for (const table of SEED_TABLES) {
      const ids = portal.rows[table].map((row) => row[KEYS[table]] as number);
      expect(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]))).toBe(true);
      const expected = COLUMNS[table].join(',');
      expect(portal.rows[table].filter((row) => Object.keys(row).join(',') !== expected)).toEqual([]);
    }
  });

  it('references only existing parents, except the deliberate Orders.CustomerId orphans', () => {
    for (const [child, column, parent] of PARENTS) {
      const missing = portal.rows[child].filter(
        (row) => row[column] !== null && !keys.get(parent)!.has(row[column] as number),
      );
      expect({ child, column, missing: missing.length }).toEqual({ child, column, missing: 0 });
    }
    const customerPartner = new Map(portal.rows.Customers.map((row) => [row.CustomerId, row.PartnerId]));
    const foreign = portal.rows.Orders.filter(
      (order) => customerPartner.has(order.CustomerId) && customerPartner.get(order.CustomerId) !== order.PartnerId,
    );
    expect(foreign).toEqual([]);
  });

  it('keeps every text within its column size and every value valid for its column type', () => {
    const tooLong: string[] = [];
    for (const table of SEED_TABLES) {
      for (const row of portal.rows[table]) {
        for (const [column, size] of Object.entries(COLUMN_SIZES[table])) {
          const value = row[column];
          if (value !== null && (typeof value !== 'string' || value.length > size || /[\ud800-\udbff]$/.test(value)))
            tooLong.push(`${table}.${column}=${JSON.stringify(value)}`);
        }
      }
    }
    expect(tooLong).toEqual([]);
    const check = (rows: SeedRow[], column: string, test: (value: unknown) => boolean) => {
      const bad = rows.filter((row) => !test(row[column])).map((row) => row[column]);
      expect({ column, bad: bad.slice(0, 3) }).toEqual({ column, bad: [] });
    };
    const { Partners, PartnerUsers, Customers, Orders, OrderLines, Invoices, InvoiceLines } = portal.rows;
    const text =
      (pattern: RegExp, nullable = false) =>
      (value: unknown) =>
        (nullable && value === null) || (typeof value === 'string' && pattern.test(value));
    const flag = (value: unknown) => value === 0 || value === 1;
    check(Partners, 'CreatedAt', text(DATETIME));
    check(PartnerUsers, 'LastLoginAt', text(DATETIME, true));
    check(Customers, 'CreatedAt', text(DATETIME));
    check(Orders, 'OrderDate', text(DATETIME));
    for (const table of SEED_TABLES) check(portal.rows[table], 'ModifiedAtUtc', text(UTC));
    check(PartnerUsers, 'IsPrimary', flag);
    check(PartnerUsers, 'IsActive', flag);
    check(Customers, 'IsDeleted', flag);
    check(Customers, 'TenantId', text(GUID, true));
    check(Orders, 'TotalAmount', text(DECIMAL4));
    check(Orders, 'CustomerId', (value) => value === null || Number.isInteger(value));
    check(OrderLines, 'Quantity', (value) => Number.isInteger(value) && Math.abs(value as number) < 2 ** 31);
    check(OrderLines, 'TermMonths', (value) => value === null || value === 1 || value === 12 || value === 36);
    for (const column of ['UnitPrice', 'LineTotal']) check(OrderLines, column, text(DECIMAL4));
    for (const column of ['NetAmount', 'TaxAmount', 'GrossAmount']) check(Invoices, column, text(DECIMAL4));
    check(Invoices, 'InvoiceDate', text(DATE));
    check(Invoices, 'DueDate', text(DATE, true));
    for (const column of ['Quantity', 'UnitPrice', 'Amount']) check(InvoiceLines, column, text(DECIMAL4));
    check(InvoiceLines, 'TaxRate', text(/^\d{1,3}\.\d{2}$/));
    check(Partners, 'PortalMode', (value) => value === 'Live');
    const years = Orders.map((row) => String(row.OrderDate).slice(0, 4)).filter((year) => year !== '1900');
    expect(years.every((year) => year >= '2014' && year <= '2026')).toBe(true);
  });

  it('never writes two partner codes that the legacy unique key (case-insensitive, trailing spaces ignored) would take as equal', () => {
    const codes = portal.rows.Partners.map((row) => String(row.PartnerCode).trim().toUpperCase());
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('writes unique order and invoice numbers (case-insensitively)', () => {
    for (const [table, column] of [
      ['Orders', 'OrderNumber'],
      ['Invoices', 'InvoiceNumber'],
    ] as const) {
      const numbers = portal.rows[table].map((row) => String(row[column]).trim().toUpperCase());
      expect(new Set(numbers).size).toBe(numbers.length);
    }
  });

  it('keeps money sane for most rows: LineTotal = Quantity x UnitPrice, TotalAmount = sum of lines, Gross = Net + Tax', () => {
    const units = (value: unknown) => Math.round(Number(value) * 10_000);
    const lineOk = portal.rows.OrderLines.filter(
      (row) => units(row.LineTotal) === (row.Quantity as number) * units(row.UnitPrice),
    ).length;
    expect(lineOk / portal.rows.OrderLines.length).toBeGreaterThan(0.95);
    const sums = new Map<unknown, number>();
    for (const line of portal.rows.OrderLines)
      sums.set(line.OrderId, (sums.get(line.OrderId) ?? 0) + units(line.LineTotal));
    const totalOk = portal.rows.Orders.filter((row) => units(row.TotalAmount) === (sums.get(row.OrderId) ?? 0)).length;
    expect(totalOk / portal.rows.Orders.length).toBeGreaterThan(0.95);
    const grossOk = portal.rows.Invoices.filter(
      (row) => units(row.GrossAmount) === units(row.NetAmount) + units(row.TaxAmount),
    ).length;
    expect(grossOk / portal.rows.Invoices.length).toBeGreaterThan(0.95);
  });
});
