import type { Connection, Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { KeyRange } from '../../../core/key-range';
import { checkWatermark } from '../../statement-arguments';
import { quoteName } from '../columns';

/** Anything a statement can run on: the pool, or one connection of it. */
export type MariaDbQueryable = Pool | PoolConnection | Connection;

/** A statement with `?` placeholders, escaped client-side by mysql2. */
export interface MariaDbQuery {
  sql: string;
  params: unknown[];
}

export async function selectRows(db: MariaDbQueryable, query: MariaDbQuery): Promise<RowDataPacket[]> {
  const [rows] = await db.query<RowDataPacket[]>(query.sql, query.params);
  return rows;
}

/** Rows the statement matched: mysql2 sets CLIENT_FOUND_ROWS, so an UPDATE to the value already there counts too. */
export async function execute(db: MariaDbQueryable, query: MariaDbQuery): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(query.sql, query.params);
  return result.affectedRows;
}

/**
 * The watermark as a bound parameter (BIGINT UNSIGNED: up to 20 digits): CAST keeps the
 * comparison exact, where a bare string compares as a double.
 */
export function rowVerAtMost(column: string, watermark: string, params: unknown[]): string {
  params.push(checkWatermark(watermark, 20));
  return `${column} <= CAST(? AS UNSIGNED)`;
}

/** `(after, upTo]` on a key column; open bounds add nothing. */
export function keyRange(column: string, range: KeyRange | undefined, params: unknown[]): string {
  let sql = '';
  if (range?.after !== undefined) {
    params.push(range.after);
    sql += ` AND ${column} > ?`;
  }
  if (range?.upTo !== undefined) {
    params.push(range.upTo);
    sql += ` AND ${column} <= ?`;
  }
  return sql;
}

/** A qualified, quoted column: `o.\`OrderId\``. */
export function col(alias: string | undefined, name: string): string {
  return alias ? `${alias}.${quoteName(name)}` : quoteName(name);
}
