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

const c = (name: string, kind: ColumnKind): Column => ({ name, kind });
const utcAndRowVer = [c('ModifiedAtUtc', 'utc'), c('RowVer', 'rowver')];

/** Every legacy table's columns in DDL order (the same in mssql.sql and mariadb.sql). */
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
