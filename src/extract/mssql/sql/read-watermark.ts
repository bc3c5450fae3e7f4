import type { MssqlQuery } from './query';

/**
 * `MIN_ACTIVE_ROWVERSION() - 1`, not `@@DBTS`: a transaction still open now may commit rows
 * with rowversions below @@DBTS later; every such row is >= MIN_ACTIVE_ROWVERSION(), so it
 * falls in the next window instead of being skipped for ever.
 */
export function buildReadWatermarkQuery(): MssqlQuery {
  return {
    sql: 'SELECT CONVERT(varchar(20), CONVERT(bigint, MIN_ACTIVE_ROWVERSION()) - 1) AS [watermark]',
    params: [],
  };
}
