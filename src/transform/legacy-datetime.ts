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

// Offset (wall - UTC) per zone and wall-clock day, or per hour in a day with a transition: each
// is resolved once, and a value of a known day needs one lookup instead of localWallMsToUtcMs's
// probes around it. A portal's dates span a few thousand days but tens of thousands of hours.
const DAY_MS = 24 * HOUR_MS;
/** Marks a day with a transition in it: its hours are memoised instead. */
const MIXED = Number.NaN;

interface ZoneOffsets {
  days: Map<number, number>;
  hours: Map<number, number>;
}
const offsetsByZone = new Map<string, ZoneOffsets>();

/** The offset through [start, start + span) when it is the same at both ends, else MIXED. */
function steadyOffset(start: number, span: number, zone: string): number {
  const atStart = start - localWallMsToUtcMs(start, zone);
  const atEnd = start + span - 1 - localWallMsToUtcMs(start + span - 1, zone);
  return atStart === atEnd ? atStart : MIXED;
}

function memoised(memo: Map<number, number>, key: number, resolve: () => number): number {
  let offset = memo.get(key);
  if (offset === undefined) {
    offset = resolve();
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, offset);
  }
  return offset;
}

function wallToUtcMs(wallMs: number, zone: string): number {
  let offsets = offsetsByZone.get(zone);
  if (offsets === undefined) {
    offsets = { days: new Map(), hours: new Map() };
    offsetsByZone.set(zone, offsets);
  }
  const day = Math.floor(wallMs / DAY_MS);
  const ofDay = memoised(offsets.days, day, () => steadyOffset(day * DAY_MS, DAY_MS, zone));
  if (!Number.isNaN(ofDay)) return wallMs - ofDay;
  const hour = Math.floor(wallMs / HOUR_MS);
  const ofHour = memoised(offsets.hours, hour, () => steadyOffset(hour * HOUR_MS, HOUR_MS, zone));
  // An hour with a transition inside it (half-hour zones) is resolved per value.
  return Number.isNaN(ofHour) ? localWallMsToUtcMs(wallMs, zone) : wallMs - ofHour;
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
