import { LOCAL_DATE_TIME } from '../../core/legacy-model';
import { rowConverters } from '../row-converters';
import type { ColumnKind } from './columns';

const LOCAL_NO_FRACTION = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const WITH_FRACTION = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{1,6})$/;

/** `YYYY-MM-DD HH:MM:SS[.f…]` (DATETIME as text with `dateStrings`) -> `YYYY-MM-DD HH:MM:SS.fff`. */
export function toLocalDateTime(value: string): string {
  // DATETIME(3) as mysql2 hands it over is already the engine-neutral text.
  if (value.length === 23 && LOCAL_DATE_TIME.test(value)) return value;
  if (LOCAL_NO_FRACTION.test(value)) return `${value}.000`;
  const match = WITH_FRACTION.exec(value);
  return match ? `${match[1]} ${match[2]}.${match[3].padEnd(3, '0').slice(0, 3)}` : value;
}

/** Kinds mysql2 hands over as exact text with `bigNumberStrings` and `decimalNumbers: false`. */
const EXACT_TEXT: ReadonlySet<ColumnKind> = new Set<ColumnKind>(['rowver', 'money', 'decimal']);

function convertOther(kind: ColumnKind, value: unknown): unknown {
  // TINYINT(1) arrives as a number.
  if (kind === 'bool') return typeof value === 'number' ? value !== 0 : value;
  // bigNumberStrings/decimalNumbers:false already give text; a number here would be lossy.
  return EXACT_TEXT.has(kind) && typeof value === 'bigint' ? value.toString() : value;
}

export const converters = rowConverters({ toLocalDateTime, convertOther });
