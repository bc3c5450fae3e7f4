import { rowConverters } from '../row-converters';
import type { ColumnKind } from './columns';

/** A row as tedious hands it over for the select lists of `columns.ts` (dates, money, GUIDs already text). */
export type MssqlRawRow = Record<string, unknown>;

const STYLE_121 = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?$/;

/** Style 121 text (`YYYY-MM-DD HH:MM:SS.fff`) -> the contract's local form, exactly three decimals. */
export function toLocalDateTime(value: string): string {
  const match = STYLE_121.exec(value.trim());
  return match ? `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(3, '0').slice(0, 3)}` : value;
}

/** Style 121 text of a DATETIME2 holding UTC -> ISO 8601 with `Z`. */
export function toUtcDateTime(value: string): string {
  const local = toLocalDateTime(value);
  return local.length === 23 ? `${local.slice(0, 10)}T${local.slice(11)}Z` : value;
}

/** One value of `kind` into the engine-neutral representation (unknown shapes pass through for zod to reject). */
export function convertValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'local':
      return typeof value === 'string' ? toLocalDateTime(value) : value;
    case 'utc':
      return typeof value === 'string' ? toUtcDateTime(value) : value;
    case 'date':
    case 'guid':
    case 'rowver':
      // Fixed-width char() results carry no padding for these, but be strict about stray blanks.
      return typeof value === 'string' ? value.trim() : value;
    case 'money':
    case 'decimal':
      return typeof value === 'string' ? value.trim() : value;
    default:
      return value;
  }
}

export const {
  convertRow, toLegacyPartner, toLegacyUser, toLegacyCustomer, toLegacyOrder, toLegacyOrderLine, toLegacyInvoice, toLegacyInvoiceLine,
} = rowConverters(convertValue);
