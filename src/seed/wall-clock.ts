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

/** `YYYY-MM-DD HH:MM:SS` of a wall-clock reading (DATETIME). */
export function formatWallClock(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** `YYYY-MM-DD` (DATE). */
export function formatCalendarDate(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS.fff` of a UTC instant (DATETIME(3) ...Utc). */
export function formatUtc(utcMs: number): string {
  const iso = new Date(utcMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
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
