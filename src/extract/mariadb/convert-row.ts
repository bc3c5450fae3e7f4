import { rowConverters } from '../row-converters';
import type { ColumnKind } from './columns';

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

export const {
  convertRow, toLegacyPartner, toLegacyUser, toLegacyCustomer, toLegacyOrder, toLegacyOrderLine, toLegacyInvoice, toLegacyInvoiceLine,
} = rowConverters(convertValue);
