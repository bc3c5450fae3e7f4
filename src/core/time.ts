/**
 * Wall-clock conversions. Legacy DATETIME values are local time of the portal's server
 * (Europe/Zurich by default) written as `YYYY-MM-DD HH:MM:SS[.fff]`; the target stores UTC.
 * Pure functions: the zone is always passed in, never read from the environment.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets per zone and UTC hour: a few hundred thousand hours cover centuries, so it is never cleared. */
const offsetCaches = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Offset of `zone` from UTC, in milliseconds, at the instant `utcMs` (cached per zone and hour). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR_MS);
  let cache = offsetCaches.get(zone);
  if (!cache) offsetCaches.set(zone, (cache = new Map()));
  const cached = cache.get(hour);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(hour * HOUR_MS));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - hour * HOUR_MS;
  cache.set(hour, offset);
  return offset;
}

export interface LocalDateTime {
  /** Milliseconds of the wall-clock reading taken as if it were UTC. */
  wallMs: number;
  /** Fraction of a second beyond milliseconds is dropped; DATETIME has 1/300 s at best. */
  date: string;
}

/** Parses `YYYY-MM-DD HH:MM:SS[.fff]`; undefined when it is not such a value. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const match = LOCAL.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac] = match;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(wallMs);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return { wallMs, date: `${y}-${mo}-${d}` };
}

/**
 * Converts a local wall-clock time in `zone` to a UTC instant (ISO 8601 with `Z`).
 * A time in the spring-forward gap is shifted forward by the gap; a time in the autumn
 * overlap takes the earlier (summer-time) instant.
 */
export function localToUtcIso(local: string, zone: string): string | undefined {
  const parsed = parseLocalDateTime(local);
  if (!parsed) return undefined;
  return new Date(localWallMsToUtcMs(parsed.wallMs, zone)).toISOString();
}

export function localWallMsToUtcMs(wallMs: number, zone: string): number {
  const before = zoneOffsetMs(zone, wallMs - 36 * HOUR_MS);
  const after = zoneOffsetMs(zone, wallMs + 36 * HOUR_MS);
  const candidates = before === after ? [before] : [before, after];
  const valid = candidates
    .map((offset) => wallMs - offset)
    .filter((utc) => zoneOffsetMs(zone, utc) === wallMs - utc);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: the pre-transition offset lands the instant exactly `gap` later on the new clock.
  return wallMs - before;
}

/** True for `YYYY-MM-DD` naming a real calendar date. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match;
  const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return check.getUTCFullYear() === Number(y) && check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d);
}

/**
 * Adds calendar months to a `YYYY-MM-DD` date, clamped to the last day of the resulting month
 * (29 February plus 12 months is 28 February).
 */
export function addMonths(date: string, months: number): string {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1 + months;
  const day = Number(match[3]);
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const clamped = Math.min(day, lastDay);
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth + 1).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}
