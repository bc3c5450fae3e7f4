/**
 * Value normalisation shared by every transform (MAPPING.md, "Normalisation"). Each function
 * is cheap and allocation-light: the regular expressions are compiled once, at module load.
 */
import { trimWhitespace } from '../core/canonical/trim';
import { ISO_COUNTRIES, ISO_CURRENCIES } from './iso-codes';

export { matchEnum, ENUMS, type EnumSpec, type EnumValue } from './enums';
export { parseDecimal, decimalEquals, addDecimals, multiplyDecimal, type ScaledDecimal } from '../core/decimal';
export { convertLegacyDateTime, isSentinelDateTime, type LegacyDateTimeResult } from './legacy-datetime';

const EMAIL = /^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$/;
const GUID_HYPHENATED = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/;
const GUID_PLAIN = /^\{?([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})\}?$/;

/** Trims surrounding whitespace; NULL stays NULL. Inner text is never collapsed. */
export function trimText(value: string | null | undefined): string | null {
  return value == null ? null : trimWhitespace(value);
}

/** Trims, and turns an empty result into NULL: for optional live-object columns. */
export function optionalText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = trimWhitespace(value);
  return trimmed === '' ? null : trimmed;
}

/** A normalised value, or why it could not be one. `absent` is NULL or blank as written. */
export type Normalised<T> = { ok: true; value: T } | { ok: false; absent: boolean; value: string | null };

/**
 * E-mail: trimmed, lower-cased, then it must match the MAPPING.md pattern (one `@`, a dot
 * inside the domain, no spaces).
 */
export function normaliseEmail(value: string | null | undefined): Normalised<string> {
  if (value == null) return { ok: false, absent: true, value: null };
  const email = trimWhitespace(value).toLowerCase();
  if (email === '') return { ok: false, absent: true, value: email };
  return EMAIL.test(email) ? { ok: true, value: email } : { ok: false, absent: false, value: email };
}

/** Country: trimmed, upper case, `UK` read as `GB`; valid only as an ISO 3166-1 alpha-2 code. */
export function normaliseCountry(value: string | null | undefined): Normalised<string> {
  if (value == null) return { ok: false, absent: true, value: null };
  const upper = trimWhitespace(value).toUpperCase();
  if (upper === '') return { ok: false, absent: true, value: upper };
  const code = upper === 'UK' ? 'GB' : upper;
  return ISO_COUNTRIES.has(code) ? { ok: true, value: code } : { ok: false, absent: false, value: code };
}

/** Currency: trimmed, upper case; valid only as an ISO 4217 code. The invalid value is still normalised. */
export function normaliseCurrency(value: string | null | undefined): Normalised<string> {
  if (value == null) return { ok: false, absent: true, value: null };
  const code = trimWhitespace(value).toUpperCase();
  if (code === '') return { ok: false, absent: true, value: code };
  return ISO_CURRENCIES.has(code) ? { ok: true, value: code } : { ok: false, absent: false, value: code };
}

/**
 * GUID in canonical lower-case 8-4-4-4-12 form. Accepts the hyphenated or the 32-digit form,
 * optionally in braces, in any case; anything else is not a GUID.
 */
export function normaliseGuid(value: string | null | undefined): Normalised<string> {
  if (value == null) return { ok: false, absent: true, value: null };
  const lower = trimWhitespace(value).toLowerCase();
  if (lower === '') return { ok: false, absent: true, value: lower };
  const match = GUID_HYPHENATED.exec(lower) ?? GUID_PLAIN.exec(lower);
  if (!match) return { ok: false, absent: false, value: lower };
  return { ok: true, value: `${match[1]}-${match[2]}-${match[3]}-${match[4]}-${match[5]}` };
}

/**
 * Quotes a legacy value for a human-readable `detail`: shortened, and never an e-mail address
 * (details end up in reports that must not carry personal data).
 */
export function quoteForDetail(value: string | null | undefined): string {
  if (value == null) return 'NULL';
  if (value.includes('@')) return '[redacted]';
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `'${shown}'`;
}
