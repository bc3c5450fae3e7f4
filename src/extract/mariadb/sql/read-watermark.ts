import type { MariaDbQuery } from './query';

/**
 * The stand-in for `MIN_ACTIVE_ROWVERSION() - 1`: the last value RowVerSeq has handed out.
 * `NEXTVAL` would consume a value; reading the sequence table does not. RowVerSeq is NOCACHE,
 * so `next_not_cached_value` is exactly the next value any trigger will draw: every insert or
 * update that draws after this read gets a greater RowVer, so `RowVer <= watermark` excludes
 * all later writes. Caveat (MariaDB has no MIN_ACTIVE_ROWVERSION): a transaction that drew its
 * value before this read and commits after it is not covered by the window.
 */
export function buildReadWatermarkQuery(): MariaDbQuery {
  return { sql: 'SELECT CAST(next_not_cached_value - 1 AS UNSIGNED) AS watermark FROM RowVerSeq', params: [] };
}
