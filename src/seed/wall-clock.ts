/**
 * Times as the legacy columns hold them. Wall-clock values are carried as "milliseconds of
 * the Zurich reading taken as if it were UTC", so formatting needs no time-zone lookup.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The portal's "unknown" DATETIME. */
export const SENTINEL_DATETIME = '1900-01-01 00:00:00';
/** SQL Server's smallest DATETIME, also used by the portal for "unknown". */
export const MIN_SQL_DATETIME = '1753-01-01 00:00:00';

/** First and last instants of the generated history (Zurich wall clock). */
export const HISTORY_START_MS = Date.UTC(2014, 0, 1, 8, 0, 0);
export const ORDERS_END_MS = Date.UTC(2026, 1, 28, 23, 59, 59);
/** The portal's "now" (UTC): nothing is modified after it. */
export const PORTAL_NOW_UTC_MS = Date.UTC(2026, 2, 15, 12, 0, 0);

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayTexts = new Map<number, string>();

/** `YYYY-MM-DD` of a day number, cached: the rows of a day share it, so it is formatted once per day. */
function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    if (dayTexts.size > 20_000) dayTexts.clear();
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayTexts.set(day, text);
  }
  return text;
}

function timeText(msOfDay: number): string {
  const seconds = Math.floor(msOfDay / 1000);
  return `${PAD2[Math.floor(seconds / 3600)]}:${PAD2[Math.floor(seconds / 60) % 60]}:${PAD2[seconds % 60]}`;
}

/** `YYYY-MM-DD HH:MM:SS` of a wall-clock reading (DATETIME). */
export function formatWallClock(wallMs: number): string {
  wallMs = Math.floor(wallMs);
  const day = Math.floor(wallMs / DAY_MS);
  return `${dayText(day)} ${timeText(wallMs - day * DAY_MS)}`;
}

/** `YYYY-MM-DD` (DATE). */
export function formatCalendarDate(wallMs: number): string {
  return dayText(Math.floor(wallMs / DAY_MS));
}

/** `YYYY-MM-DD HH:MM:SS.fff` of a UTC instant (DATETIME(3) ...Utc). */
export function formatUtc(utcMs: number): string {
  utcMs = Math.floor(utcMs);
  const day = Math.floor(utcMs / DAY_MS);
  const msOfDay = utcMs - day * DAY_MS;
  return `${dayText(day)} ${timeText(msOfDay)}.${PAD3[msOfDay % 1000]}`;
}

export interface DstDays {
  /** 02:00 wall clock on the last Sunday of March: 02:00-02:59 does not exist. */
  springGap: number;
  /** 02:00 wall clock on the last Sunday of October: 02:00-02:59 happens twice. */
  autumnOverlap: number;
}

const dstByYear = new Map<number, DstDays>();

function lastSunday(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  return lastDay - new Date(lastDay).getUTCDay() * DAY_MS;
}

/** Zurich's daylight-saving transitions of `year` (EU rule, in force since 1996). */
export function dstDays(year: number): DstDays {
  let days = dstByYear.get(year);
  if (!days) {
    days = { springGap: lastSunday(year, 2) + 2 * HOUR_MS, autumnOverlap: lastSunday(year, 9) + 2 * HOUR_MS };
    dstByYear.set(year, days);
  }
  return days;
}

/** UTC instant of a Zurich wall-clock reading; gap readings shift forward, overlap readings take summer time. */
export function zurichWallToUtcMs(wallMs: number): number {
  const { springGap, autumnOverlap } = dstDays(new Date(wallMs).getUTCFullYear());
  const summer = wallMs >= springGap + HOUR_MS && wallMs < autumnOverlap + HOUR_MS;
  return wallMs - (summer ? 2 : 1) * HOUR_MS;
}
