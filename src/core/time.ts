/**
 * Wall-clock conversions. Legacy DATETIME values are local time of the portal's server
 * (Europe/Zurich by default) written as `YYYY-MM-DD HH:MM:SS[.fff]`; the target stores UTC.
 * Pure functions: the zone is always passed in, never read from the environment.
 */

const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets per zone and UTC hour: a century is under a million hours, so it is never cleared. */
const offsetCaches = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
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

/** The number of `count` ASCII digits of `text` from `at`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.fff]` (a `T` for the space, one to seven fraction digits);
 * undefined when it is not such a value. Read character by character: every legacy date-time of
 * a wave comes through here.
 */
export function parseLocalDateTime(raw: string): LocalDateTime | undefined {
  const text = raw.trim();
  const length = text.length;
  if (length < 19 || length === 20 || length > 27) return undefined;
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (separator !== 32 && separator !== 84) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (length > 19 && text.charCodeAt(19) !== 46)
  )
    return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  const fraction = length > 19 ? digitsAt(text, 20, length - 20) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || fraction < 0) return undefined;
  // Milliseconds: the first three fraction digits, as if padded with zeros.
  const ms = length > 19 ? digitsAt(text.slice(20, 23).padEnd(3, '0'), 0, 3) : 0;
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(wallMs);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return { wallMs, date: text.slice(0, 10) };
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
  const valid = candidates.map((offset) => wallMs - offset).filter((utc) => zoneOffsetMs(zone, utc) === wallMs - utc);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: the pre-transition offset lands the instant exactly `gap` later on the new clock.
  return wallMs - before;
}

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The year, month and day of `YYYY-MM-DD` (four, two and two ASCII digits), or undefined. Read
 * digit by digit, with no regular expression or Date: the subscription replay asks this of every order.
 */
function dateParts(text: string): [number, number, number] | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let index = 0; index < 10; index += 1) {
    if (index === 4 || index === 7) continue;
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (index < 4) year = year * 10 + digit;
    else if (index < 7) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  return [year, month, day];
}

/** True for `YYYY-MM-DD` naming a real calendar date. */
export function isCalendarDate(text: string): boolean {
  const parts = dateParts(text);
  if (parts === undefined) return false;
  const [year, month, day] = parts;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Adds calendar months to a `YYYY-MM-DD` date, clamped to the last day of the resulting month
 * (29 February plus 12 months is 28 February).
 */
export function addMonths(date: string, months: number): string {
  const parts = dateParts(date);
  if (parts === undefined) throw new RangeError(`not a date: ${date}`);
  const [year, month, day] = parts;
  const zeroBased = month - 1 + months;
  const targetYear = year + Math.floor(zeroBased / 12);
  const targetMonth = (((zeroBased % 12) + 12) % 12) + 1;
  const clamped = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${targetMonth < 10 ? '0' : ''}${targetMonth}-${clamped < 10 ? '0' : ''}${clamped}`;
}
