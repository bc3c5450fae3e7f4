import type { ColumnType } from '../../core/target-model';
import { ContractViolationError } from '../../core/errors';

/**
 * Encoding of rows into PostgreSQL's COPY text format: columns separated by a tab, rows ended
 * by a newline, NULL as `\N`; backslash, tab, newline and carriage return escaped with a
 * backslash. Everything else (emoji, CJK) passes through as UTF-8.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeChar = (ch: string): string => ESCAPES[ch]!;

/** COPY-escapes one text value (the common case, nothing to escape, costs one regex test). */
export function escapeCopyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, escapeChar) : value;
}

const ARRAY_QUOTED = /["\\]/g;

/** A `text[]` literal: every element double-quoted, so commas, braces and spaces need no thought. */
export function arrayLiteral(values: ReadonlyArray<string | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const element = values[i];
    if (i > 0) out += ',';
    out += element === null || element === undefined ? 'NULL' : `"${String(element).replace(ARRAY_QUOTED, '\\$&')}"`;
  }
  return `${out}}`;
}

/** One value in COPY text form; `null` and `undefined` become `\N`. */
export function encodeCopyValue(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escapeCopyText(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new ContractViolationError(`not a finite number for a ${type} column: ${value}`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value) && type === 'text[]') return escapeCopyText(arrayLiteral(value));
      throw new ContractViolationError(
        `cannot encode a ${Array.isArray(value) ? 'array' : typeof value} for a ${type} column`,
      );
  }
}

/** Column descriptors as COPY needs them. */
export type CopyColumns = ReadonlyArray<{ readonly name: string; readonly type: ColumnType }>;

/** One row as a COPY text line, newline included. */
export function encodeCopyLine(row: object, columns: CopyColumns): string {
  const record = row as Record<string, unknown>;
  const fields = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    fields[i] = encodeCopyValue(record[column.name], column.type);
  }
  return `${fields.join('\t')}\n`;
}

/** Every row as its COPY text line, in order (kept apart so a failing batch can be split). */
export function encodeCopyLines(rows: ReadonlyArray<object>, columns: CopyColumns): string[] {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) lines[i] = encodeCopyLine(rows[i]!, columns);
  return lines;
}
