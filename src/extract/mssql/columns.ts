import type { LegacyTableName } from '../source-reader';

/** How a legacy column is selected and converted on SQL Server. */
export type ColumnKind = 'int' | 'text' | 'guid' | 'money' | 'decimal' | 'local' | 'utc' | 'date' | 'bool' | 'rowver';

export interface Column {
  name: string;
  kind: ColumnKind;
}

const c = (name: string, kind: ColumnKind): Column => ({ name, kind });
const utcAndRowVer = [c('ModifiedAtUtc', 'utc'), c('RowVer', 'rowver')];

/** Every legacy table's columns in DDL order (mssql.sql). */
export const COLUMNS: Record<LegacyTableName, readonly Column[]> = {
  Partners: [
    c('PartnerId', 'int'), c('PartnerCode', 'text'), c('CompanyName', 'text'), c('LegalName', 'text'),
    c('CountryCode', 'text'), c('CurrencyCode', 'text'), c('MpnId', 'text'), c('TaxId', 'text'),
    c('AddressLine1', 'text'), c('City', 'text'), c('PostalCode', 'text'), c('PrimaryEmail', 'text'),
    c('Status', 'text'), c('PortalMode', 'text'), c('CreatedAt', 'local'), ...utcAndRowVer,
  ],
  PartnerUsers: [
    c('UserId', 'int'), c('PartnerId', 'int'), c('Email', 'text'), c('FirstName', 'text'), c('LastName', 'text'),
    c('Role', 'text'), c('IsPrimary', 'bool'), c('IsActive', 'bool'), c('LastLoginAt', 'local'), ...utcAndRowVer,
  ],
  Customers: [
    c('CustomerId', 'int'), c('PartnerId', 'int'), c('CustomerName', 'text'), c('TenantId', 'guid'),
    c('PrimaryDomain', 'text'), c('CountryCode', 'text'), c('City', 'text'), c('ContactEmail', 'text'),
    c('IsDeleted', 'bool'), c('CreatedAt', 'local'), ...utcAndRowVer,
  ],
  Orders: [
    c('OrderId', 'int'), c('OrderNumber', 'text'), c('PartnerId', 'int'), c('CustomerId', 'int'),
    c('OrderType', 'text'), c('Status', 'text'), c('OrderDate', 'local'), c('CurrencyCode', 'text'),
    c('TotalAmount', 'money'), c('PoNumber', 'text'), c('CreatedBy', 'text'), ...utcAndRowVer,
  ],
  OrderLines: [
    c('OrderLineId', 'int'), c('OrderId', 'int'), c('LineNo', 'int'), c('Sku', 'text'), c('ProductName', 'text'),
    c('Quantity', 'int'), c('UnitPrice', 'money'), c('LineTotal', 'money'), c('BillingFrequency', 'text'),
    c('TermMonths', 'int'), c('SubscriptionRef', 'text'), ...utcAndRowVer,
  ],
  Invoices: [
    c('InvoiceId', 'int'), c('InvoiceNumber', 'text'), c('PartnerId', 'int'), c('DocumentType', 'text'),
    c('InvoiceDate', 'date'), c('DueDate', 'date'), c('CurrencyCode', 'text'), c('NetAmount', 'money'),
    c('TaxAmount', 'money'), c('GrossAmount', 'money'), c('Status', 'text'), ...utcAndRowVer,
  ],
  InvoiceLines: [
    c('InvoiceLineId', 'int'), c('InvoiceId', 'int'), c('OrderId', 'int'), c('CustomerId', 'int'),
    c('Description', 'text'), c('Quantity', 'decimal'), c('UnitPrice', 'money'), c('Amount', 'money'),
    c('TaxRate', 'decimal'), ...utcAndRowVer,
  ],
};

/** `[name]`, with `]` doubled. */
export function bracket(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** `[dbo].[Table]`. */
export function tableName(table: string): string {
  return `[dbo].${bracket(table)}`;
}

/**
 * The select expression of a column: everything the driver would turn into a float, a Date or a
 * Buffer is converted to text by the server, in a fixed style.
 */
export function selectExpression(column: Column, alias?: string): string {
  const ref = alias ? `${alias}.${bracket(column.name)}` : bracket(column.name);
  const as = ` AS ${bracket(column.name)}`;
  switch (column.kind) {
    case 'guid': return `CONVERT(char(36), ${ref})${as}`;
    // Style 2 keeps money's four decimals (the default style rounds to two).
    case 'money': return `CONVERT(varchar(40), ${ref}, 2)${as}`;
    case 'decimal': return `CONVERT(varchar(40), ${ref})${as}`;
    case 'local':
    case 'utc': return `CONVERT(char(23), ${ref}, 121)${as}`;
    case 'date': return `CONVERT(char(10), ${ref}, 23)${as}`;
    // rowversion is binary(8), big-endian: as bigint it orders the same, as text it stays exact.
    case 'rowver': return `CONVERT(varchar(20), CONVERT(bigint, ${ref}))${as}`;
    default: return ref;
  }
}

export function selectList(table: LegacyTableName, alias?: string): string {
  return COLUMNS[table].map((column) => selectExpression(column, alias)).join(', ');
}
