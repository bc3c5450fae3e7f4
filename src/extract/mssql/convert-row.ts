import { rowConverters } from '../row-converters';
import type { ColumnKind } from './columns';

const STYLE_121 = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?$/;

/** Style 121 text (`YYYY-MM-DD HH:MM:SS.fff`) -> the contract's local form, exactly three decimals. */
export function toLocalDateTime(value: string): string {
  const match = STYLE_121.exec(value.trim());
  return match ? `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(3, '0').slice(0, 3)}` : value;
}

/** The kinds `columns.ts` selects through CONVERT, which tedious hands over as text. */
const CONVERTED_TO_TEXT: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['date', 'guid', 'rowver', 'money', 'decimal']);

function convertOther(kind: ColumnKind, value: unknown): unknown {
  // Fixed-width char() results carry no padding for these, but be strict about stray blanks.
  return CONVERTED_TO_TEXT.has(kind) && typeof value === 'string' ? value.trim() : value;
}

export const converters = rowConverters({ toLocalDateTime, convertOther });
