import { DIRTY_RATES } from './dirty-rates';
import type { Prng } from './prng';
import {
  MIN_SQL_DATETIME,
  PORTAL_NOW_UTC_MS,
  SENTINEL_DATETIME,
  dstDays,
  formatUtc,
  formatWallClock,
  zurichWallToUtcMs,
} from './wall-clock';

/** A wall-clock time inside a daylight-saving gap or overlap hour of a year in [fromMs, toMs]. */
export function dstTransitionTime(rng: Prng, fromMs: number, toMs: number): number {
  const fromYear = new Date(fromMs).getUTCFullYear();
  const toYear = new Date(toMs).getUTCFullYear();
  const days = dstDays(rng.int(fromYear, toYear));
  const hour = rng.chance(0.5) ? days.springGap : days.autumnOverlap;
  return hour + rng.int(0, 3599) * 1000;
}

/** The first daylight-saving gap or overlap hour that starts strictly after `afterMs`. */
export function nextDstTransition(afterMs: number): number {
  const year = new Date(afterMs).getUTCFullYear();
  for (const y of [year, year + 1]) {
    const days = dstDays(y);
    if (days.springGap > afterMs) return days.springGap;
    if (days.autumnOverlap > afterMs) return days.autumnOverlap;
  }
  return Number.POSITIVE_INFINITY;
}

/** A DATETIME as written: the time, or at the given rates the "unknown" sentinels. */
export function writeDateTime(rng: Prng, wallMs: number, sentinelRate: number): string {
  if (sentinelRate > 0 && rng.chance(sentinelRate)) return rng.chance(0.85) ? SENTINEL_DATETIME : MIN_SQL_DATETIME;
  return formatWallClock(wallMs);
}

/** A ModifiedAtUtc somewhat after a wall-clock event, never after the portal's "now". */
export function modifiedAfter(rng: Prng, wallMs: number, maxDelayMs: number): string {
  const utc = zurichWallToUtcMs(wallMs) + Math.floor(rng.next() * maxDelayMs);
  return formatUtc(Math.min(utc, PORTAL_NOW_UTC_MS - rng.int(0, 86_400) * 1000));
}

/** LastLoginAt: NULL (never), the sentinel, a daylight-saving edge time, or a time in the partner's life. */
export function writeLastLogin(rng: Prng, fromMs: number, toMs: number): string | null {
  const rates = DIRTY_RATES.user;
  const roll = rng.next();
  if (roll < rates.lastLoginNull) return null;
  if (roll < rates.lastLoginNull + rates.lastLoginSentinel) return SENTINEL_DATETIME;
  if (roll < rates.lastLoginNull + rates.lastLoginSentinel + rates.lastLoginDst)
    return formatWallClock(dstTransitionTime(rng, fromMs, toMs));
  return formatWallClock(Math.floor((fromMs + rng.next() * (toMs - fromMs)) / 1000) * 1000);
}
