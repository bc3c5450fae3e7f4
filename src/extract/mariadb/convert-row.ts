import type { z } from 'zod';
import { ContractViolationError } from '../../core/errors';
import {
  legacyCustomerSchema, legacyInvoiceLineSchema, legacyInvoiceSchema, legacyOrderLineSchema, legacyOrderSchema,
  legacyPartnerSchema, legacyUserSchema,
  type LegacyCustomer, type LegacyInvoice, type LegacyInvoiceLine, type LegacyOrder, type LegacyOrderLine,
  type LegacyPartner, type LegacyUser,
} from '../../core/legacy-model';
import type { LegacyTableName } from '../source-reader';
import { COLUMNS, type ColumnKind } from './columns';

/** A row as mysql2 hands it over with `dateStrings`, `bigNumberStrings` and `decimalNumbers: false`. */
export type MariaDbRawRow = Record<string, unknown>;

const LOCAL_NO_FRACTION = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const WITH_FRACTION = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{1,6})$/;

/** `YYYY-MM-DD HH:MM:SS[.f…]` (DATETIME as text) -> `YYYY-MM-DD HH:MM:SS.fff`. */
export function toLocalDateTime(value: string): string {
  if (LOCAL_NO_FRACTION.test(value)) return `${value}.000`;
  const match = WITH_FRACTION.exec(value);
  return match ? `${match[1]} ${match[2]}.${match[3].padEnd(3, '0').slice(0, 3)}` : value;
}

/** DATETIME(3) holding UTC as text -> ISO 8601 with `Z`. */
export function toUtcDateTime(value: string): string {
  const local = toLocalDateTime(value);
  return local.length === 23 ? `${local.slice(0, 10)}T${local.slice(11)}Z` : value;
}

/** One value of `kind` from mysql2 into the engine-neutral representation (unknown shapes pass through for zod to reject). */
export function convertValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'local':
      return typeof value === 'string' ? toLocalDateTime(value) : value;
    case 'utc':
      return typeof value === 'string' ? toUtcDateTime(value) : value;
    case 'bool':
      return typeof value === 'number' ? value !== 0 : value;
    case 'rowver':
    case 'money':
    case 'decimal':
      // bigNumberStrings/decimalNumbers:false already give text; a number here would be lossy.
      return typeof value === 'bigint' ? value.toString() : value;
    default:
      return value;
  }
}

/** Converts every column of a legacy table's raw row; columns absent from the row become null. */
export function convertRow(table: LegacyTableName, raw: MariaDbRawRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of COLUMNS[table]) out[column.name] = convertValue(column.kind, raw[column.name]);
  return out;
}

function validated<T>(table: LegacyTableName, schema: z.ZodType<T>, raw: MariaDbRawRow): T {
  const converted = convertRow(table, raw);
  const result = schema.safeParse(converted);
  if (result.success) return result.data;
  const key = COLUMNS[table][0].name;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  // Values are left out of the message: they may be personal data.
  throw new ContractViolationError(`legacy ${table} row ${key}=${String(raw[key])} breaks the row contract: ${problems}`);
}

export const toLegacyPartner = (raw: MariaDbRawRow): LegacyPartner => validated('Partners', legacyPartnerSchema, raw);
export const toLegacyUser = (raw: MariaDbRawRow): LegacyUser => validated('PartnerUsers', legacyUserSchema, raw);
export const toLegacyCustomer = (raw: MariaDbRawRow): LegacyCustomer => validated('Customers', legacyCustomerSchema, raw);
export const toLegacyOrder = (raw: MariaDbRawRow): LegacyOrder => validated('Orders', legacyOrderSchema, raw);
export const toLegacyOrderLine = (raw: MariaDbRawRow): LegacyOrderLine => validated('OrderLines', legacyOrderLineSchema, raw);
export const toLegacyInvoice = (raw: MariaDbRawRow): LegacyInvoice => validated('Invoices', legacyInvoiceSchema, raw);
export const toLegacyInvoiceLine = (raw: MariaDbRawRow): LegacyInvoiceLine => validated('InvoiceLines', legacyInvoiceLineSchema, raw);
