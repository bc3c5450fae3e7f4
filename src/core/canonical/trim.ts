/**
 * What "trim" means on both sides of reconciliation: the transform trims text with it, so the
 * archive stores the canonical text of the legacy value, and every engine's SQL trims the same set.
 */

/** What "trim" means everywhere: ASCII space, TAB, LF, CR, FF, VT — and nothing else (no NBSP). */
export const TRIM_WHITESPACE = [' ', '\t', '\n', '\r', '\f', '\v'] as const;

// TAB, LF, VT, FF, CR are 9..13: exactly TRIM_WHITESPACE with the space.
const isTrimmed = (code: number) => code === 32 || (code >= 9 && code <= 13);

/** Trims TRIM_WHITESPACE from both ends (unlike String.prototype.trim, which trims all Unicode white space). */
export function trimWhitespace(value: string): string {
  let end = value.length;
  if (end === 0 || (!isTrimmed(value.charCodeAt(0)) && !isTrimmed(value.charCodeAt(end - 1)))) return value;
  let start = 0;
  while (start < end && isTrimmed(value.charCodeAt(start))) start += 1;
  while (end > start && isTrimmed(value.charCodeAt(end - 1))) end -= 1;
  return value.slice(start, end);
}
