/**
 * Legacy DATETIME values (local wall-clock time of the portal) to UTC, with the legacy
 * "unknown" sentinels. The zone is always passed in; core/time.ts caches zone offsets.
 */
import { localToUtcIso } from '../core/time';

/** What a legacy DATETIME reads as. `date` is the calendar date as written (local, not UTC). */
export type LegacyDateTimeResult =
  | { kind: 'instant'; utc: string; date: string }
  | { kind: 'sentinel' }
  | { kind: 'invalid' };

const SENTINELS = ['1900-01-01 00:00:00', '1753-01-01 00:00:00'];
const ZERO_FRACTION = /^(?:\.0*)?$/;

/** True for `1900-01-01 00:00:00` and `1753-01-01 00:00:00` (any zero fraction): "unknown" in the portal. */
export function isSentinelDateTime(raw: string): boolean {
  const text = raw.trim();
  const head = text.slice(0, 19);
  return (head === SENTINELS[0] || head === SENTINELS[1]) && ZERO_FRACTION.test(text.slice(19));
}

/**
 * Converts a legacy DATETIME to a UTC ISO instant in `zone`: spring-gap times shift forward by
 * the gap, autumn-overlap times take the earlier (summer-time) instant. Sentinels and values
 * that are no real date and time are reported as such, never guessed.
 */
export function convertLegacyDateTime(raw: string, zone: string): LegacyDateTimeResult {
  if (isSentinelDateTime(raw)) return { kind: 'sentinel' };
  const utc = localToUtcIso(raw, zone);
  if (utc === undefined) return { kind: 'invalid' };
  return { kind: 'instant', utc, date: raw.trim().slice(0, 10) };
}
