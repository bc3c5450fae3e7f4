/**
 * Legacy DATETIME values (local wall-clock time of the portal) to UTC, with the legacy
 * "unknown" sentinels. The zone is always passed in; nothing reads the environment or clock.
 */
import { trimWhitespace } from '../core/canonical/trim';
import { localWallMsToUtcMs, parseLocalDateTime } from '../core/time';

/** What a legacy DATETIME reads as. `date` is the calendar date as written (local, not UTC). */
export type LegacyDateTimeResult =
  { kind: 'instant'; utc: string; date: string } | { kind: 'sentinel' } | { kind: 'invalid' };

const SENTINELS = ['1900-01-01 00:00:00', '1753-01-01 00:00:00'];
const ZERO_FRACTION = /^(?:\.0*)?$/;
const HOUR_MS = 3_600_000;
const MEMO_LIMIT = 1_000_000;

/** True for `1900-01-01 00:00:00` and `1753-01-01 00:00:00` (any zero fraction): "unknown" in the portal. */
export function isSentinelDateTime(raw: string): boolean {
  const text = trimWhitespace(raw);
  const head = text.slice(0, 19);
  return (head === SENTINELS[0] || head === SENTINELS[1]) && ZERO_FRACTION.test(text.slice(19));
}

// Offset (wall - UTC) per zone and wall-clock hour: each hour is resolved once, and a value of a
// known hour needs one lookup instead of localWallMsToUtcMs's probes around it.
const offsetsByZone = new Map<string, Map<number, number>>();

function wallToUtcMs(wallMs: number, zone: string): number {
  let offsets = offsetsByZone.get(zone);
  if (offsets === undefined) {
    offsets = new Map();
    offsetsByZone.set(zone, offsets);
  }
  const hour = Math.floor(wallMs / HOUR_MS);
  const offset = offsets.get(hour);
  if (offset !== undefined) return wallMs - offset;
  const start = hour * HOUR_MS;
  const atStart = start - localWallMsToUtcMs(start, zone);
  const atEnd = start + HOUR_MS - 1 - localWallMsToUtcMs(start + HOUR_MS - 1, zone);
  // An hour with a transition inside it (half-hour zones) is not memoised: it is resolved per value.
  if (atStart !== atEnd) return localWallMsToUtcMs(wallMs, zone);
  if (offsets.size >= MEMO_LIMIT) offsets.clear();
  offsets.set(hour, atStart);
  return wallMs - atStart;
}

/**
 * Converts a legacy DATETIME to a UTC ISO instant in `zone`: spring-gap times shift forward by
 * the gap, autumn-overlap times take the earlier (summer-time) instant (core/time.ts rules).
 * Sentinels and values that are no real date and time are reported as such, never guessed.
 */
export function convertLegacyDateTime(raw: string, zone: string): LegacyDateTimeResult {
  if (isSentinelDateTime(raw)) return { kind: 'sentinel' };
  const parsed = parseLocalDateTime(raw);
  if (parsed === undefined) return { kind: 'invalid' };
  return { kind: 'instant', utc: new Date(wallToUtcMs(parsed.wallMs, zone)).toISOString(), date: parsed.date };
}
