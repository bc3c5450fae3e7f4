import { z } from 'zod';

/**
 * Legacy rows as every engine's reader hands them on: the same column names as the legacy
 * tables, values in one engine-neutral representation, validated with these schemas when they
 * leave extract.
 *
 * - INT: number. BIT: boolean.
 * - DECIMAL / MONEY: the exact decimal as text (`"12.3400"`), never a float.
 * - DATETIME (local wall-clock time of the portal): `YYYY-MM-DD HH:MM:SS.fff`, no zone.
 * - DATETIME2 `...Utc`: ISO 8601 UTC (`2024-01-31T10:00:00.000Z`).
 * - DATE: `YYYY-MM-DD`.
 * - UNIQUEIDENTIFIER: text as stored (case not normalised; transform does that).
 * - RowVer: the rowversion as an unsigned decimal integer in text (it can pass 2^53).
 * Text is as written (untrimmed); normalisation is the transform's job.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** The engine-neutral text of a local DATETIME: `YYYY-MM-DD HH:MM:SS.fff`. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ROW_VERSION = /^\d+$/;

const int = z.number().int();
const decimal = z.string().regex(DECIMAL, 'exact decimal as text');
const localDateTime = z.string().regex(LOCAL_DATE_TIME, 'YYYY-MM-DD HH:MM:SS.fff');
const utcDateTime = z.string().regex(UTC_DATE_TIME, 'ISO 8601 UTC');
const calendarDate = z.string().regex(CALENDAR_DATE, 'YYYY-MM-DD');
const rowVersion = z.string().regex(ROW_VERSION, 'unsigned integer as text');
const text = z.string();
const bool = z.boolean();

/**
 * What each field schema above accepts, as a plain test of the value (none of them transforms
 * it): extract checks a million rows a wave with these, and asks zod only about a row they
 * refuse, for its message (row-converters.ts). A unit test holds each to its schema's verdict.
 */
export const FIELD_TESTS: ReadonlyMap<z.ZodType, (value: unknown) => boolean> = new Map<
  z.ZodType,
  (value: unknown) => boolean
>([
  [int, (value) => Number.isSafeInteger(value)],
  [decimal, (value) => typeof value === 'string' && DECIMAL.test(value)],
  [localDateTime, (value) => typeof value === 'string' && LOCAL_DATE_TIME.test(value)],
  [utcDateTime, (value) => typeof value === 'string' && UTC_DATE_TIME.test(value)],
  [calendarDate, (value) => typeof value === 'string' && CALENDAR_DATE.test(value)],
  [rowVersion, (value) => typeof value === 'string' && ROW_VERSION.test(value)],
  [text, (value) => typeof value === 'string'],
  [bool, (value) => typeof value === 'boolean'],
]);

export const legacyPartnerSchema = z.object({
  PartnerId: int,
  PartnerCode: text,
  CompanyName: text,
  LegalName: text.nullable(),
  CountryCode: text,
  CurrencyCode: text,
  MpnId: text.nullable(),
  TaxId: text.nullable(),
  AddressLine1: text.nullable(),
  City: text.nullable(),
  PostalCode: text.nullable(),
  PrimaryEmail: text.nullable(),
  Status: text,
  PortalMode: text,
  CreatedAt: localDateTime,
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyUserSchema = z.object({
  UserId: int,
  PartnerId: int,
  Email: text,
  FirstName: text.nullable(),
  LastName: text.nullable(),
  Role: text,
  IsPrimary: bool,
  IsActive: bool,
  LastLoginAt: localDateTime.nullable(),
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyCustomerSchema = z.object({
  CustomerId: int,
  PartnerId: int,
  CustomerName: text,
  TenantId: text.nullable(),
  PrimaryDomain: text.nullable(),
  CountryCode: text.nullable(),
  City: text.nullable(),
  ContactEmail: text.nullable(),
  IsDeleted: bool,
  CreatedAt: localDateTime,
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyOrderSchema = z.object({
  OrderId: int,
  OrderNumber: text,
  PartnerId: int,
  CustomerId: int.nullable(),
  OrderType: text,
  Status: text,
  OrderDate: localDateTime,
  CurrencyCode: text,
  TotalAmount: decimal,
  PoNumber: text.nullable(),
  CreatedBy: text.nullable(),
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyOrderLineSchema = z.object({
  OrderLineId: int,
  OrderId: int,
  LineNo: int,
  Sku: text,
  ProductName: text,
  Quantity: int,
  UnitPrice: decimal,
  LineTotal: decimal,
  BillingFrequency: text,
  TermMonths: int.nullable(),
  SubscriptionRef: text.nullable(),
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyInvoiceSchema = z.object({
  InvoiceId: int,
  InvoiceNumber: text,
  PartnerId: int,
  DocumentType: text,
  InvoiceDate: calendarDate,
  DueDate: calendarDate.nullable(),
  CurrencyCode: text,
  NetAmount: decimal,
  TaxAmount: decimal,
  GrossAmount: decimal,
  Status: text,
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export const legacyInvoiceLineSchema = z.object({
  InvoiceLineId: int,
  InvoiceId: int,
  OrderId: int.nullable(),
  CustomerId: int.nullable(),
  Description: text,
  Quantity: decimal,
  UnitPrice: decimal,
  Amount: decimal,
  TaxRate: decimal,
  ModifiedAtUtc: utcDateTime,
  RowVer: rowVersion,
});

export type LegacyPartner = z.infer<typeof legacyPartnerSchema>;
export type LegacyUser = z.infer<typeof legacyUserSchema>;
export type LegacyCustomer = z.infer<typeof legacyCustomerSchema>;
export type LegacyOrder = z.infer<typeof legacyOrderSchema>;
export type LegacyOrderLine = z.infer<typeof legacyOrderLineSchema>;
export type LegacyInvoice = z.infer<typeof legacyInvoiceSchema>;
export type LegacyInvoiceLine = z.infer<typeof legacyInvoiceLineSchema>;

/** The legacy tables, by the entity names the migration schema uses. */
export const LEGACY_TABLES = {
  partner: { table: 'Partners', key: 'PartnerId', schema: legacyPartnerSchema },
  user: { table: 'PartnerUsers', key: 'UserId', schema: legacyUserSchema },
  customer: { table: 'Customers', key: 'CustomerId', schema: legacyCustomerSchema },
  order: { table: 'Orders', key: 'OrderId', schema: legacyOrderSchema },
  order_line: { table: 'OrderLines', key: 'OrderLineId', schema: legacyOrderLineSchema },
  invoice: { table: 'Invoices', key: 'InvoiceId', schema: legacyInvoiceSchema },
  invoice_line: { table: 'InvoiceLines', key: 'InvoiceLineId', schema: legacyInvoiceLineSchema },
} as const;

export type LegacyEntity = keyof typeof LEGACY_TABLES;

/** Entity names used in quarantine, skipped, findings, reconciliations and id_map (SCHEMA.md). */
export const ENTITIES = [
  'partner',
  'user',
  'customer',
  'order',
  'order_line',
  'invoice',
  'invoice_line',
  'subscription',
] as const;
export type Entity = (typeof ENTITIES)[number];

/** Values the portal writes to `Partners.PortalMode`. */
export type PortalMode = 'Live' | 'MigrationScheduled' | 'Migrated' | 'Archive';
