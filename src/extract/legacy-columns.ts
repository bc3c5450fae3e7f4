import type { LegacyTableName } from './source-reader';

/**
 * How a legacy column is read and written: the kind decides each engine's conversion to the
 * engine-neutral representation of `core/legacy-model.ts`.
 */
export type ColumnKind = 'int' | 'text' | 'guid' | 'money' | 'decimal' | 'local' | 'utc' | 'date' | 'bool' | 'rowver';

export interface Column {
  name: string;
  kind: ColumnKind;
}

const KINDS: ReadonlySet<string> = new Set<ColumnKind>([
  'int',
  'text',
  'guid',
  'money',
  'decimal',
  'local',
  'utc',
  'date',
  'bool',
  'rowver',
]);

/** Each legacy table's own columns in DDL order (the same in mssql.sql and mariadb.sql), as `name kind`. */
const DDL_ORDER: Record<LegacyTableName, string> = {
  Partners: `PartnerId int, PartnerCode text, CompanyName text, LegalName text, CountryCode text, CurrencyCode text,
    MpnId text, TaxId text, AddressLine1 text, City text, PostalCode text, PrimaryEmail text, Status text,
    PortalMode text, CreatedAt local`,
  PartnerUsers: `UserId int, PartnerId int, Email text, FirstName text, LastName text, Role text, IsPrimary bool,
    IsActive bool, LastLoginAt local`,
  Customers: `CustomerId int, PartnerId int, CustomerName text, TenantId guid, PrimaryDomain text, CountryCode text,
    City text, ContactEmail text, IsDeleted bool, CreatedAt local`,
  Orders: `OrderId int, OrderNumber text, PartnerId int, CustomerId int, OrderType text, Status text, OrderDate local,
    CurrencyCode text, TotalAmount money, PoNumber text, CreatedBy text`,
  OrderLines: `OrderLineId int, OrderId int, LineNo int, Sku text, ProductName text, Quantity int, UnitPrice money,
    LineTotal money, BillingFrequency text, TermMonths int, SubscriptionRef text`,
  Invoices: `InvoiceId int, InvoiceNumber text, PartnerId int, DocumentType text, InvoiceDate date, DueDate date,
    CurrencyCode text, NetAmount money, TaxAmount money, GrossAmount money, Status text`,
  InvoiceLines: `InvoiceLineId int, InvoiceId int, OrderId int, CustomerId int, Description text, Quantity decimal,
    UnitPrice money, Amount money, TaxRate decimal`,
};

/** Every table ends with these two. */
const TRAILING_COLUMNS = 'ModifiedAtUtc utc, RowVer rowver';

function columnsOf(table: LegacyTableName): readonly Column[] {
  return `${DDL_ORDER[table]}, ${TRAILING_COLUMNS}`.split(',').map((entry) => {
    const [name, kind] = entry.trim().split(/\s+/);
    if (!KINDS.has(kind)) throw new Error(`legacy-columns: ${table}.${name} has no known kind ("${kind}")`);
    return { name, kind: kind as ColumnKind };
  });
}

/** Every legacy table's columns in DDL order. */
export const COLUMNS = Object.fromEntries(
  (Object.keys(DDL_ORDER) as LegacyTableName[]).map((table) => [table, columnsOf(table)]),
) as Record<LegacyTableName, readonly Column[]>;
