import type { MariaDbQueryable } from './query';
import { selectRows } from './query';

/**
 * The stand-in for `MIN_ACTIVE_ROWVERSION() - 1`: the last value RowVerSeq has handed out.
 * `NEXTVAL` would consume a value; reading the sequence table does not. RowVerSeq is NOCACHE,
 * so `next_not_cached_value` is exactly the next value any trigger will draw: every insert or
 * update that draws after this read gets a greater RowVer, so `RowVer <= watermark` excludes
 * all later writes. Caveat (MariaDB has no MIN_ACTIVE_ROWVERSION): a transaction that drew its
 * value before this read and commits after it is not covered by the window.
 */
export const READ_WATERMARK_SQL = 'SELECT CAST(next_not_cached_value - 1 AS UNSIGNED) AS watermark FROM RowVerSeq';

export async function readWatermark(db: MariaDbQueryable): Promise<string> {
  const rows = await selectRows(db, { sql: READ_WATERMARK_SQL, params: [] });
  return String(rows[0].watermark);
}
